import { describe, expect, it } from 'vitest';
import {
  PyFloat,
  dumpPyJson,
  encodePyString,
  formatPyFloat,
} from '../../main/core/demo/python-json';
import { jsonpickleDatetime, pyIsoformat } from '../../main/core/demo/python-time';

describe('Python-compatible JSON', () => {
  it('formats floats like Python repr', () => {
    // Expected strings are what CPython 3.11 prints for repr(x).
    const cases: [number, string][] = [
      [1.5, '1.5'],
      [2, '2.0'],
      [1e-5, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [0.0001, '0.0001'],
      [1e16, '1e+16'],
      [1234500000000000, '1234500000000000.0'],
      [0.30000000000000004, '0.30000000000000004'],
      [NaN, 'NaN'],
      [-Infinity, '-Infinity'],
    ];
    for (const [value, text] of cases) expect(formatPyFloat(value), String(value)).toBe(text);
  });

  it('escapes to ASCII the way ensure_ascii does', () => {
    expect(encodePyString('é\u0001"\\\n😀\u007f')).toBe(
      '"\\u00e9\\u0001\\"\\\\\\n\\ud83d\\ude00\\u007f"',
    );
  });

  it('sorts keys, indents by 2 and writes ints and floats apart', () => {
    expect(dumpPyJson({ b: [1, new PyFloat(1), NaN], a: {}, c: [] })).toBe(
      '{\n  "a": {},\n  "b": [\n    1,\n    1.0,\n    NaN\n  ],\n  "c": []\n}',
    );
  });

  it('writes naive isoformat times and jsonpickle datetimes', () => {
    const micros = Date.UTC(2026, 10, 26, 21, 32, 21) * 1000 + 56;
    expect(pyIsoformat(micros)).toBe('2026-11-26T21:32:21.000056');
    expect(pyIsoformat(Date.UTC(2026, 0, 2, 3, 4, 5) * 1000)).toBe('2026-01-02T03:04:05');
    // The queued fixture's meta.queue_time for 2026-11-26 21:32:21.000056.
    expect(jsonpickleDatetime(micros)).toEqual({
      __reduce__: [{ 'py/type': 'datetime.datetime' }, ['B+oLGhUgFQAAOA==']],
      'py/object': 'datetime.datetime',
    });
  });
});
