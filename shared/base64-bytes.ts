/**
 * base64 text as bytes, or null when it is not base64 (atob's forgiving rules: whitespace and
 * missing padding pass). atob rather than Buffer: shared/ runs in the renderer too.
 */
export function decodeBase64Bytes(text: string): Uint8Array | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}
