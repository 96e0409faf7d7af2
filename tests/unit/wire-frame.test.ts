// Binary replies of the HTTP door (shared/wire-frame.ts): every bit of every array comes back as
// a view of the reply, the rest of the value as JSON gives it; a cut or forged frame is refused
// rather than read outside its bytes.
import { describe, expect, it } from 'vitest';
import { encodeWire } from '../../shared/wire-codec';
import { WireFrameError, decodeWireFrame, encodeWireFrame } from '../../shared/wire-frame';

const awkward = Float64Array.of(NaN, Infinity, -Infinity, -0, 5e-324, Number.MAX_VALUE, 0.1, 1);

function frameOf(value: unknown): Uint8Array {
  const encoded = encodeWireFrame(value);
  if (!('frame' in encoded)) throw new Error('expected a frame');
  return encoded.frame;
}

/** A frame's bytes in a buffer of their own, as `response.arrayBuffer()` gives them. */
function received(frame: Uint8Array): ArrayBuffer {
  return frame.slice().buffer;
}

describe('reply frames', () => {
  it('bring back arrays bit for bit, views and empty ones included, as views of the reply', () => {
    const wide = new Float64Array(1000).map((_, i) => Math.sin(i) * 1e6);
    const value = {
      ok: true,
      result: { a: awkward, b: wide.subarray(10, 17), none: new Float64Array(0), name: 'é ✓' },
    };
    const buffer = received(frameOf(value));
    const back = decodeWireFrame(buffer) as typeof value;
    expect(back.result.name).toBe('é ✓');
    expect(Array.from(back.result.a)).toEqual(Array.from(awkward));
    expect(Object.is(back.result.a[3], -0)).toBe(true);
    expect(Array.from(back.result.b)).toEqual(Array.from(wide.subarray(10, 17)));
    expect(back.result.none).toHaveLength(0);
    for (const array of [back.result.a, back.result.b]) {
      expect(array.buffer).toBe(buffer);
      expect(array.byteOffset % 8).toBe(0);
    }
  });

  it('are not made for a value without arrays: its JSON is what encodeWire writes', () => {
    const value = { ok: true, result: [{ name: 'x', count: 3 }] };
    expect(encodeWireFrame(value)).toEqual({ json: encodeWire(value) });
  });

  it('refuse what is not a whole frame', () => {
    const frame = frameOf({ v: awkward });
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      new TextEncoder().encode('{"ok":true}'),
      frame.subarray(0, 12),
      frame.subarray(0, frame.length - 8),
    ];
    for (const bytes of cases) {
      expect(() => decodeWireFrame(received(bytes))).toThrow(WireFrameError);
    }
  });

  it('refuse array references that point outside the data or off 8-byte boundaries', () => {
    const forged = (ref: unknown): ArrayBuffer => {
      const header = new TextEncoder().encode(JSON.stringify({ v: { $f64at: ref } }));
      const start = Math.ceil((8 + header.length) / 8) * 8;
      const bytes = new Uint8Array(start + 16);
      bytes.set([0x41, 0x56, 0x46, 0x31]);
      new DataView(bytes.buffer).setUint32(4, header.length, true);
      bytes.set(header, 8);
      return bytes.buffer;
    };
    expect(Array.from((decodeWireFrame(forged([8, 1])) as { v: Float64Array }).v)).toEqual([0]);
    for (const ref of [[8, 2], [4, 1], [-8, 1], [0, -1], [0, 1.5], ['0', 1], [0], 'x']) {
      expect(() => decodeWireFrame(forged(ref))).toThrow(WireFrameError);
    }
  });
});
