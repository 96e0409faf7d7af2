/**
 * Saves text as a file through a Blob URL: the browser door downloads it, Electron shows its
 * save dialog. The URL is revoked after the click has handed the data over.
 */
export function downloadText(text: string, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "runs-2024-05-01-1304.csv": a name that sorts by time and says what it holds. */
export function exportFileName(kind: string, extension: string, now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  return `${kind}-${stamp}.${extension}`;
}
