import { Double, Int32, Long } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  parseSacredJson,
  pythonFloat,
  pythonJson,
  sacredTime,
} from '../../main/core/backup/sacred-json';

describe("Sacred's JSON, read and written as Python does", () => {
  it('keeps whole floats, NaN and big ints apart from ints', () => {
    const value = parseSacredJson(
      '{"a": 10.0, "b": 10, "c": NaN, "d": 3000000000, "e": "NaN 1.0", "f": -Infinity, "g": 0.5}',
    ) as Record<string, unknown>;
    expect(value.a).toBeInstanceOf(Double);
    expect(value.b).toEqual(new Int32(10));
    expect(Number.isNaN((value.c as Double).value)).toBe(true);
    expect(value.d).toEqual(Long.fromString('3000000000'));
    expect(value.e).toBe('NaN 1.0');
    expect((value.f as Double).value).toBe(-Infinity);
    expect(value.g).toBe(0.5);
  });

  it("formats floats as Python's repr", () => {
    expect(pythonFloat(10)).toBe('10.0');
    expect(pythonFloat(0.1)).toBe('0.1');
    expect(pythonFloat(1e-5)).toBe('1e-05');
    expect(pythonFloat(0.0001)).toBe('0.0001');
    expect(pythonFloat(1e16)).toBe('1e+16');
    expect(pythonFloat(123456789012345.6)).toBe('123456789012345.6');
    expect(pythonFloat(Number.NaN)).toBe('NaN');
  });

  it('writes json.dump(sort_keys=True, indent=2) with ASCII escapes', () => {
    expect(pythonJson({ b: [new Double(1), new Int32(2)], a: 'é', c: {}, d: [] })).toBe(
      '{\n  "a": "\\u00e9",\n  "b": [\n    1.0,\n    2\n  ],\n  "c": {},\n  "d": []\n}',
    );
    const text = '{\n  "lr": 0.02,\n  "n": 10.0,\n  "seed": 448434276,\n  "x": Infinity\n}';
    expect(pythonJson(parseSacredJson(text))).toBe(text);
  });

  it('writes times without a zone, the fraction only when there is one', () => {
    expect(sacredTime(new Date(Date.UTC(2026, 10, 26, 21, 32, 3)))).toBe('2026-11-26T21:32:03');
    expect(sacredTime(new Date(Date.UTC(2026, 10, 26, 21, 32, 3, 646)))).toBe(
      '2026-11-26T21:32:03.646000',
    );
  });
});
