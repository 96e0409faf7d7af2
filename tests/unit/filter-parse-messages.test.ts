import { describe, expect, it } from 'vitest';
import { parseColumnId, parseFilter } from '../../shared/filter';

/**
 * What the filter box says when a filter does not parse, and where it points (the box
 * underlines from that offset): in-lists, regexes, operators and columns. A message naming
 * the wrong token or a wrong offset sends the user to fix the wrong place.
 */
function errorOf(text: string): { message: string; position: number } {
  const parsed = parseFilter(text);
  if (parsed.ok) throw new Error(`"${text}" parsed`);
  return parsed.error;
}

describe('in-lists', () => {
  it('says whether a value is missing after "(" or after ","', () => {
    expect(errorOf('config.x in ()')).toEqual({
      message: 'expected a value after "(", found ")"',
      position: 13,
    });
    expect(errorOf('config.x in ( )')).toEqual({
      message: 'expected a value after "(", found ")"',
      position: 14,
    });
    expect(errorOf('config.x in (1,)')).toEqual({
      message: 'expected a value after ",", found ")"',
      position: 15,
    });
  });

  it('points at a value not separated by a comma', () => {
    expect(errorOf('config.x in (1 2)')).toEqual({
      message: 'expected "," or ")", found "2"',
      position: 15,
    });
  });

  it('reads every value of the list', () => {
    expect(parseFilter('config.x in (1, "a", b, null)')).toEqual({
      ok: true,
      ast: {
        type: 'in',
        path: ['config', 'x'],
        values: [
          { type: 'number', value: 1 },
          { type: 'string', value: 'a' },
          { type: 'string', value: 'b' },
          { type: 'null' },
        ],
      },
    });
  });
});

describe('regexes', () => {
  it('takes the flags i, m, s and u together', () => {
    expect(parseFilter('config.x ~ /a/msu')).toEqual({
      ok: true,
      ast: { type: 'matches', path: ['config', 'x'], pattern: 'a', flags: 'msu' },
    });
  });

  it('ends the flags at the first character that is no lower-case letter', () => {
    expect(errorOf('config.x ~ /a/I')).toEqual({
      message: 'expected "and", "or" or the end, found "I"',
      position: 14,
    });
    expect(parseFilter('config.x ~ /a/i and status = FAILED')).toMatchObject({
      ok: true,
      ast: { type: 'and', items: [{ type: 'matches', flags: 'i' }, { type: 'compare' }] },
    });
  });

  it('points at the start of a regex that is unterminated, invalid or missing', () => {
    expect(errorOf('config.x ~ /abc')).toEqual({
      message: 'unterminated regular expression',
      position: 11,
    });
    // A backslash at the very end escapes nothing: still unterminated.
    expect(errorOf('config.x ~ /a\\')).toEqual({
      message: 'unterminated regular expression',
      position: 11,
    });
    expect(errorOf('config.x ~ /a(/')).toEqual({
      message: 'invalid regular expression: missing closing ): `a(`',
      position: 11,
    });
    expect(errorOf('config.x ~ 3')).toEqual({
      message: 'expected a "pattern" or /pattern/flags after "~", found "3"',
      position: 11,
    });
  });

  it('points at a flag that is unsupported or given twice', () => {
    expect(errorOf('config.x matches /a/x')).toEqual({
      message: 'unsupported regular expression flag "x" (use i, m, s or u)',
      position: 20,
    });
    expect(errorOf('config.x ~ /a/mix')).toEqual({
      message: 'unsupported regular expression flag "x" (use i, m, s or u)',
      position: 16,
    });
    // JavaScript refuses `/a/ii` (and RE2 would quietly take it): an error, not a quiet "i".
    expect(errorOf('config.x ~ /a/ii')).toEqual({
      message: 'regular expression flag "i" given twice',
      position: 15,
    });
    expect(errorOf('config.x ~ /a\\/b/imsm and status = FAILED')).toEqual({
      message: 'regular expression flag "m" given twice',
      position: 20,
    });
  });

  it('keeps escapes other than \\/ for the regex engine', () => {
    expect(parseFilter('config.x ~ /\\d+\\.\\/x/')).toMatchObject({
      ok: true,
      ast: { pattern: '\\d+\\./x' },
    });
  });

  it('reads ~ and matches on the free-text column as a text search', () => {
    expect(parseFilter('text matches /a/')).toEqual({
      ok: true,
      ast: { type: 'matches', path: ['text'], pattern: 'a', flags: '' },
    });
    expect(parseFilter('text ~ "b"')).toEqual({
      ok: true,
      ast: { type: 'matches', path: ['text'], pattern: 'b', flags: '' },
    });
    expect(errorOf('text')).toEqual({
      message: '"text" (free-text search) takes contains or ~',
      position: 4,
    });
  });
});

describe('operators and columns', () => {
  it('reads each comparison operator as itself', () => {
    for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) {
      expect(parseFilter(`config.x ${op} 1`)).toEqual({
        ok: true,
        ast: { type: 'compare', path: ['config', 'x'], op, value: { type: 'number', value: 1 } },
      });
    }
  });

  it('says an operator is missing at the end of the text', () => {
    expect(errorOf('config.x')).toEqual({
      message:
        'expected an operator (=, !=, <, <=, >, >=, in, contains, has, ~, exists, missing) after the column, found the end',
      position: 8,
    });
  });

  it('refuses a keyword or a symbol where a column should be', () => {
    expect(errorOf('AND = 1')).toEqual({
      message: 'expected a column, found the keyword "AND"',
      position: 0,
    });
    expect(errorOf('  = 1')).toEqual({ message: 'expected a column, found "="', position: 2 });
    expect(errorOf('not 1 = 1')).toEqual({ message: 'expected a column, found "1"', position: 4 });
  });

  it('names what follows a value that ends the filter too early', () => {
    expect(errorOf('config.x = (')).toEqual({
      message: 'expected a value after "=", found "("',
      position: 11,
    });
    expect(errorOf('config.x = 1 (')).toEqual({
      message: 'expected "and", "or" or the end, found "("',
      position: 13,
    });
  });

  it('shortens a long token in a message to its first 20 characters', () => {
    expect(errorOf(`config.x = ,${'a'.repeat(19)}`).message).toBe(
      `expected a value after "=", found ",${'a'.repeat(19)}"`,
    );
    expect(errorOf(`config.x = ,${'a'.repeat(20)}`).message).toBe(
      `expected a value after "=", found ",${'a'.repeat(19)}…"`,
    );
    // The token ends at a space or a parenthesis.
    expect(errorOf('config.x = ,ab(c d').message).toBe('expected a value after "=", found ",ab"');
  });
});

describe('column ids (table columns, sort keys)', () => {
  it('refuses a quoted root, a keyword and a dangling dot, pointing at them', () => {
    expect(parseColumnId('"config".x')).toEqual({
      ok: false,
      error: { message: 'expected a column; only keys after a dot may be quoted', position: 0 },
    });
    expect(parseColumnId('and')).toEqual({
      ok: false,
      error: { message: 'expected a column, found the keyword "and"', position: 0 },
    });
    expect(parseColumnId('config.x.')).toEqual({
      ok: false,
      error: { message: 'expected a key after "."', position: 9 },
    });
    expect(parseColumnId('config.x y')).toEqual({
      ok: false,
      error: { message: 'unexpected "y" after the column', position: 9 },
    });
  });

  it('reads single-quoted keys', () => {
    expect(parseColumnId("config.'a b'.c")).toEqual({ ok: true, path: ['config', 'a b', 'c'] });
  });
});
