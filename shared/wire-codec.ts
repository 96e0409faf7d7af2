/**
 * JSON encoding for the HTTP door. Typed arrays travel as base64 of their bytes so that NaN
 * points survive and a million points stay compact; IPC uses structured clone instead.
 */
const F64_TAG = '$f64';

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Float64Array) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      return { [F64_TAG]: bytesToBase64(bytes) };
    }
    return v;
  });
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const tagged = (v as Record<string, unknown>)[F64_TAG];
      if (typeof tagged === 'string' && Object.keys(v).length === 1) {
        const bytes = base64ToBytes(tagged);
        return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
      }
    }
    return v;
  });
}
