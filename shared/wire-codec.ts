/**
 * JSON encoding for the HTTP door. Typed arrays travel as base64 of their bytes so that NaN
 * points survive and a million points stay compact; IPC uses structured clone instead.
 */
const F64_TAG = '$f64';

/**
 * Native base64 where the runtime has it: Node's Buffer (the HTTP host), Uint8Array's
 * toBase64/fromBase64 (Chromium 140+). btoa over a string built byte by byte took 2–3 s for
 * a 20-trace plot's 2 MB on a loaded machine, Buffer 1 ms (issue 13: zoom on 20 runs).
 */
interface NativeBase64 {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array;
}

function nativeBase64(): NativeBase64 | null {
  const nodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (nodeBuffer !== undefined) {
    return {
      encode: (bytes) =>
        nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      // A copy: Node hands small results out of a shared pool at any offset, and a Float64Array
      // over the bytes needs its own 8-byte aligned buffer.
      decode: (text) => new Uint8Array(nodeBuffer.from(text, 'base64')),
    };
  }
  const typed = Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array };
  const proto = Uint8Array.prototype as unknown as { toBase64?: () => string };
  if (typed.fromBase64 !== undefined && proto.toBase64 !== undefined) {
    const fromBase64 = typed.fromBase64.bind(Uint8Array);
    return {
      encode: (bytes) => (bytes as unknown as { toBase64: () => string }).toBase64(),
      decode: (text) => fromBase64(text),
    };
  }
  return null;
}

const native = nativeBase64();

function bytesToBase64(bytes: Uint8Array): string {
  if (native !== null) return native.encode(bytes);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  if (native !== null) return native.decode(text);
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
  // Without a tagged array, no reviver: it runs for every value of a page of rows (issue 13).
  if (!text.includes(`"${F64_TAG}"`)) return JSON.parse(text);
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
