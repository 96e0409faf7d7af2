import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../main/core/folder/json-depth';

// A config nested past the limit is reported instead of read; one within it must be read.
// Brackets inside strings (a regex in a config, a Windows path) are no nesting at all.
describe('nestsDeeperThan', () => {
  it('counts objects and arrays alike, up to and past the limit', () => {
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a": {"b": {"c": 1}}}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a": {"b": {"c": {}}}}', 3)).toBe(true);
    expect(nestsDeeperThan('[{"a": [1]}]', 2)).toBe(true);
    expect(nestsDeeperThan('1', 0)).toBe(false);
    expect(nestsDeeperThan('{}', 0)).toBe(true);
  });

  it('measures depth, not the number of brackets: siblings close before the next opens', () => {
    expect(nestsDeeperThan('[[1], [2], [3], {"a": 4}]', 2)).toBe(false);
    expect(nestsDeeperThan('{"a": {}, "b": {}, "c": {}, "d": {}}', 2)).toBe(false);
  });

  it('skips brackets inside strings, escaped quotes and backslashes included', () => {
    expect(nestsDeeperThan('{"pattern": "[[[[{{{{"}', 1)).toBe(false);
    expect(nestsDeeperThan('["say \\"[[[[\\" twice"]', 1)).toBe(false);
    expect(nestsDeeperThan('["C:\\\\dir\\\\", [[1]]]', 3)).toBe(false);
    expect(nestsDeeperThan('["C:\\\\dir\\\\", [[[1]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('["]]]]", [[[1]]]]', 3)).toBe(true);
  });

  it('allows what Sacred writes and refuses a config nested 5,000 levels', () => {
    expect(MAX_JSON_DEPTH).toBeGreaterThanOrEqual(64);
    const deep = `${'{"a": '.repeat(5000)}1${'}'.repeat(5000)}`;
    expect(nestsDeeperThan(deep, MAX_JSON_DEPTH)).toBe(true);
    const ok = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(nestsDeeperThan(ok, MAX_JSON_DEPTH)).toBe(false);
  });
});
