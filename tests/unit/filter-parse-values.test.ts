// What the filter language reads a typed value as, and where it points when a group is not
// closed: a value read as another type silently matches other runs.
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../shared/filter';
import type { FilterValue } from '../../shared/filter';

function valueOf(text: string): FilterValue {
  const parsed = parseFilter(`config.x = ${text}`);
  if (!parsed.ok || parsed.ast === null || parsed.ast.type !== 'compare') {
    throw new Error(`"${text}" did not parse as a comparison`);
  }
  return parsed.ast.value;
}

describe('parseFilter: a group followed by something else than ")"', () => {
  it('names what it found and points at it', () => {
    expect(parseFilter('(status exists extra')).toEqual({
      ok: false,
      error: { message: 'expected ")", found "extra"', position: 15 },
    });
  });
});

describe('parseFilter: values', () => {
  it('reads JSON escapes in quoted strings', () => {
    expect(valueOf('"a\\u0041\\n\\t\\/\\\\b"')).toEqual({ type: 'string', value: 'aA\n\t/\\b' });
    expect(valueOf('\'say \\"x\\"\'')).toEqual({ type: 'string', value: 'say "x"' });
    expect(valueOf('"\\b\\f\\r"')).toEqual({ type: 'string', value: '\b\f\r' });
  });

  it('refuses a \\u escape without four hex digits', () => {
    const parsed = parseFilter('config.x = "\\u12"');
    expect(parsed).toMatchObject({ ok: false, error: { message: 'unknown escape in string' } });
    // Four hex digits after another letter are no \u escape either.
    expect(parseFilter('config.x = "\\a0041"')).toMatchObject({
      ok: false,
      error: { message: 'unknown escape in string', position: 12 },
    });
  });

  it('reads numbers in every spelling, and a number glued to letters as text', () => {
    expect(valueOf('1e3')).toEqual({ type: 'number', value: 1000 });
    expect(valueOf('2.')).toEqual({ type: 'number', value: 2 });
    expect(valueOf('-7')).toEqual({ type: 'number', value: -7 });
    expect(valueOf('1E+2')).toEqual({ type: 'number', value: 100 });
    expect(parseFilter('config.x = 1e999')).toMatchObject({
      ok: false,
      error: { message: 'number out of range', position: 11 },
    });
    // `3x` is no number and no bare word (bare words start with a letter): refused, not 3.
    expect(parseFilter('config.x = 3x')).toEqual({
      ok: false,
      error: { message: 'expected a value after "=", found "3x"', position: 11 },
    });
    expect(parseFilter('config.x = 1.2.3')).toEqual({
      ok: false,
      error: { message: 'expected a value after "=", found "1.2.3"', position: 11 },
    });
  });

  it('reads dates with and without a time and zone, and a date glued to letters as no date', () => {
    expect(valueOf('2024-05-01T10:30')).toEqual({ type: 'date', value: '2024-05-01T10:30' });
    expect(valueOf('2024-05-01T10:30:00Z')).toEqual({
      type: 'date',
      value: '2024-05-01T10:30:00Z',
    });
    expect(parseFilter('config.x = 2024-05-01x').ok).toBe(false);
  });

  it('reads bare words up to the first character that cannot be in one', () => {
    expect(valueOf('user@gpu-01.lab:8080/a+b')).toEqual({
      type: 'string',
      value: 'user@gpu-01.lab:8080/a+b',
    });
    expect(parseFilter('config.x = done)')).toMatchObject({
      ok: false,
      error: { message: 'unmatched ")"', position: 15 },
    });
    expect(valueOf('TRUE')).toEqual({ type: 'bool', value: true });
    expect(valueOf('trueish')).toEqual({ type: 'string', value: 'trueish' });
    expect(valueOf('Null')).toEqual({ type: 'null' });
  });
});
