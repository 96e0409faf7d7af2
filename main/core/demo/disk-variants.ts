import { mkdir, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The broken and odd shapes real FileStorage folders contain (SACRED_FORMAT.md §5 "Disk
 * variants", §6 "Partial files"): Sacred rewrites run.json and metrics.json in place, so a
 * reader can catch them empty or cut in the middle.
 */
export async function truncateFileTo(path: string, fraction: number): Promise<void> {
  const { size } = await stat(path);
  await truncate(path, Math.max(1, Math.floor(size * fraction)));
}

export async function emptyFile(path: string): Promise<void> {
  await truncate(path, 0);
}

export async function removeFile(path: string): Promise<void> {
  await unlink(path);
}

/** A run directory created by mkdir just before the observer died. */
export async function writeEmptyRunDir(root: string, id: string): Promise<void> {
  await mkdir(join(root, id), { recursive: true });
}

/** A directory holding config.json but no run.json (killed between the two writes). */
export async function writeConfigOnlyDir(
  root: string,
  id: string,
  configJson: string,
): Promise<void> {
  await mkdir(join(root, id), { recursive: true });
  await writeFile(join(root, id, 'config.json'), configJson);
}

/** The optional user-supplied mako template Sacred renders into report.html. */
export async function writeTemplate(root: string): Promise<void> {
  const html = [
    '<html><body>',
    '<h1>${run["experiment"]["name"]}</h1>',
    '<p>Status: ${run["status"]}</p>',
    '<pre>${config}</pre>',
    '</body></html>',
    '',
  ].join('\n');
  await writeFile(join(root, 'template.html'), html);
}
