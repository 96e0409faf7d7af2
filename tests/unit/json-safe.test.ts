import { describe, expect, it } from 'vitest';
import { toJsonSafe } from '../../shared/json-safe';

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
