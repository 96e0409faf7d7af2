import { describe, expect, it } from 'vitest';
import { isJsonSafe, toJsonSafe } from '../../shared/json-safe';

describe('toJsonSafe', () => {
  it('turns non-finite numbers into the contract strings, deeply', () => {
    expect(
      toJsonSafe({ a: NaN, b: [Infinity, -Infinity, 1.5], c: { d: null, e: undefined } }),
    ).toEqual({
      a: 'NaN',
      b: ['Infinity', '-Infinity', 1.5],
      c: { d: null },
    });
  });

  it('keeps a stored "__proto__" key as data', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as unknown;
    const safe = toJsonSafe(parsed) as Record<string, unknown>;
    expect(Object.keys(safe)).toEqual(['__proto__', 'x']);
    expect(JSON.stringify(safe)).toBe('{"__proto__":{"polluted":true},"x":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('isJsonSafe', () => {
  it('accepts what JSON.parse gives when every number is finite', () => {
    const parsed = JSON.parse(
      '{"a": [1, -0, 1.5e300, "NaN", true, null, {"b": {}}], "__proto__": {"c": []}}',
    ) as unknown;
    expect(isJsonSafe(parsed)).toBe(true);
    expect(toJsonSafe(parsed)).toEqual(parsed);
  });

  it('refuses anything toJsonSafe would change, however deep', () => {
    const cases: unknown[] = [
      JSON.parse('{"a": [[{"b": 1e400}]]}'),
      [1, [2, [NaN]]],
      { a: { b: -Infinity } },
      { a: undefined },
      [undefined],
      undefined,
      10n,
      { when: new Date(0) },
      new Map([['a', 1]]),
      Object.create(null) as unknown,
      () => 1,
    ];
    cases.forEach((value, index) => {
      expect(isJsonSafe(value), `case ${index}`).toBe(false);
    });
  });
});
