// The HTTP door's JSON carries Float64Arrays as base64 of their bytes (shared/wire-codec.ts).
// The host encodes with Node's native base64 (issue 13: btoa took seconds for a plot's points),
// the page decodes with atob or Uint8Array.fromBase64: the text must be plain standard base64,
// and every bit of every value must come back.
import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from '../../shared/wire-codec';

/** Standard base64 of the bytes, the slow portable way (what a browser's atob reads). */
function referenceBase64(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const awkward = Float64Array.of(NaN, Infinity, -Infinity, -0, 5e-324, Number.MAX_VALUE, 0.1, 1);

describe('Float64Arrays on the wire', () => {
  it('are standard base64 of exactly their own bytes, views included', () => {
    const wide = new Float64Array(1000).map((_, i) => Math.sin(i) * 1e6);
    const view = wide.subarray(10, 17);
    expect(JSON.parse(encodeWire({ a: awkward, b: view }))).toEqual({
      a: { $f64: referenceBase64(awkward) },
      b: { $f64: referenceBase64(view) },
    });
  });

  it('come back bit for bit: NaN, infinities, -0, subnormals', () => {
    const back = decodeWire(encodeWire({ values: awkward })) as { values: Float64Array };
    expect(back.values).toBeInstanceOf(Float64Array);
    expect(Array.from(back.values)).toEqual(Array.from(awkward));
    expect(Object.is(back.values[3], -0)).toBe(true);
  });

  it('decode into their own aligned buffer even when tiny (a one-point trace)', () => {
    for (let n = 0; n < 20; n++) {
      const values = Float64Array.from({ length: n }, (_, i) => i / 3);
      const back = decodeWire(encodeWire([values, 'x'.repeat(n)])) as [Float64Array, string];
      expect(Array.from(back[0])).toEqual(Array.from(values));
      expect(back[0].byteOffset % 8).toBe(0);
    }
  });

  it('decode the same from text a browser encoded with btoa', () => {
    const text = JSON.stringify({ v: { $f64: referenceBase64(awkward) } });
    const back = decodeWire(text) as { v: Float64Array };
    expect(Array.from(back.v)).toEqual(Array.from(awkward));
  });
});
