import { describe, expect, it } from 'vitest';
import { MAX_FILTER_DEPTH, parseColumnId, parseFilter } from '../../shared/filter';
import type { FilterNode } from '../../shared/filter';

/**
 * The edges of the filter language a user meets while typing (shared/filter/parse-filter.ts
 * and filter-scanner.ts): what a filter selects as it parses, and the message and offset the
 * filter box shows when it does not. Found by mutation testing (docs/mutation-testing.md).
 */
function ast(text: string): FilterNode | null {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(`"${text}": ${parsed.error.message}`);
  return parsed.ast;
}

function errorOf(text: string): { message: string; position: number } {
  const parsed = parseFilter(text);
  if (parsed.ok) throw new Error(`"${text}" parsed`);
  return parsed.error;
}

const TOO_DEEP = `the filter nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses, "not", "and" and "or"`;

describe('nesting limits', () => {
  it('takes exactly MAX_FILTER_DEPTH levels of not, and points at the one past them', () => {
    expect(parseFilter(`${'not '.repeat(MAX_FILTER_DEPTH)}status exists`).ok).toBe(true);
    expect(errorOf(`${'not '.repeat(MAX_FILTER_DEPTH + 1)}status exists`)).toEqual({
      message: TOO_DEEP,
      position: 4 * MAX_FILTER_DEPTH,
    });
  });

  it('takes exactly MAX_FILTER_DEPTH parentheses, and points at the one past them', () => {
    const depth = MAX_FILTER_DEPTH;
    expect(parseFilter(`${'('.repeat(depth)}status exists${')'.repeat(depth)}`).ok).toBe(true);
    expect(errorOf(`${'( '.repeat(depth + 1)}status exists${')'.repeat(depth + 1)}`)).toEqual({
      message: TOO_DEEP,
      position: 2 * depth,
    });
  });
});

describe('keywords are whole words, in any case', () => {
  it('reads a column whose name starts with a keyword as the column', () => {
    expect(ast('notes exists')).toEqual({ type: 'exists', path: ['notes'] });
    expect(ast('NOT notes missing')).toEqual({
      type: 'not',
      item: { type: 'missing', path: ['notes'] },
    });
  });

  it('does not take the start of a word for "and" or "or"', () => {
    expect(errorOf('status exists order')).toEqual({
      message: 'expected "and", "or" or the end, found "order"',
      position: 14,
    });
    expect(errorOf('status exists andante')).toEqual({
      message: 'expected "and", "or" or the end, found "andante"',
      position: 14,
    });
  });

  it('reads operators and values spelled in capitals', () => {
    expect(ast('config.x IN (1) OR tags CONTAINS a OR tags HAS b OR config.y EXISTS')).toEqual({
      type: 'or',
      items: [
        { type: 'in', path: ['config', 'x'], values: [{ type: 'number', value: 1 }] },
        { type: 'contains', path: ['tags'], value: { type: 'string', value: 'a' } },
        { type: 'contains', path: ['tags'], value: { type: 'string', value: 'b' } },
        { type: 'exists', path: ['config', 'y'] },
      ],
    });
    expect(ast('config.x = True or config.x = NULL')).toEqual({
      type: 'or',
      items: [
        { type: 'compare', path: ['config', 'x'], op: '=', value: { type: 'bool', value: true } },
        { type: 'compare', path: ['config', 'x'], op: '=', value: { type: 'null' } },
      ],
    });
  });

  it('reads a word that only starts like true or null as text', () => {
    expect(ast('config.x = trueish')).toMatchObject({
      value: { type: 'string', value: 'trueish' },
    });
    expect(ast('config.x = nullable')).toMatchObject({
      value: { type: 'string', value: 'nullable' },
    });
  });

  it('refuses a keyword where a value goes, in a list too', () => {
    expect(errorOf('config.x in (1, OR)')).toEqual({
      message: 'expected a value after ",", found the keyword "or" (quote it to mean the text)',
      position: 16,
    });
    expect(errorOf('tags has exists')).toEqual({
      message:
        'expected a value after "has", found the keyword "exists" (quote it to mean the text)',
      position: 9,
    });
  });
});

describe('spaces, tabs and line breaks', () => {
  it('may be left out around symbols or be any white space', () => {
    expect(ast('config.x<=1')).toMatchObject({ op: '<=', value: { value: 1 } });
    expect(ast('config.x>=1')).toMatchObject({ op: '>=' });
    expect(ast('config.x<>1')).toMatchObject({ op: '!=' });
    expect(ast('config.x<1')).toMatchObject({ op: '<' });
    expect(ast('\tstatus\n=\r\nCOMPLETED\t')).toEqual({
      type: 'compare',
      path: ['status'],
      op: '=',
      value: { type: 'string', value: 'COMPLETED' },
    });
    expect(ast('config.x in(1,2)and(tags has a)')).toMatchObject({
      type: 'and',
      items: [{ type: 'in' }, { type: 'contains' }],
    });
  });

  it('is not allowed inside a column path', () => {
    expect(errorOf('config. x = 1')).toEqual({ message: 'expected a key after "."', position: 7 });
    expect(errorOf('config .x = 1')).toMatchObject({ position: 0 });
  });
});

describe('values', () => {
  it('reads a bare word with the characters of host names, emails and paths', () => {
    expect(ast('host = user@gpu-01.lab:8080/a+b_c')).toMatchObject({
      value: { type: 'string', value: 'user@gpu-01.lab:8080/a+b_c' },
    });
  });

  it('refuses a number run into letters or a second dot', () => {
    expect(errorOf('config.x = 1abc')).toEqual({
      message: 'expected a value after "=", found "1abc"',
      position: 11,
    });
    expect(errorOf('config.x = 1.2.3')).toEqual({
      message: 'expected a value after "=", found "1.2.3"',
      position: 11,
    });
    expect(errorOf('config.x = 1e999')).toEqual({ message: 'number out of range', position: 11 });
  });

  it('reads a number followed by a comma, a parenthesis or a dash as that number', () => {
    expect(ast('config.x in (1,2)')).toMatchObject({
      values: [
        { type: 'number', value: 1 },
        { type: 'number', value: 2 },
      ],
    });
    expect(ast('(config.x = -2)')).toMatchObject({ value: { type: 'number', value: -2 } });
  });

  it('reads a date only when the whole date is there', () => {
    expect(ast('start_time > 2024-05-01T10:00')).toMatchObject({
      value: { type: 'date', value: '2024-05-01T10:00' },
    });
    expect(errorOf('start_time > 2024-05-01x')).toMatchObject({ position: 17 });
    expect(errorOf('start_time > 2024-02-30T25:00')).toEqual({
      message: '"2024-02-30T25:00" is not a valid date',
      position: 13,
    });
  });

  it('decodes every escape of a quoted string', () => {
    expect(ast(String.raw`config.x = "\"\'\\\/\b\f\n\r\t\u00e9\u20AC"`)).toMatchObject({
      value: { type: 'string', value: '"\'\\/\b\f\n\r\t\u00e9\u20ac' },
    });
    expect(ast(String.raw`config.x = 'say \"hi\" it\'s'`)).toMatchObject({
      value: { type: 'string', value: `say "hi" it's` },
    });
    // A single quote inside double quotes (and back) needs no escape.
    expect(ast(`config.x = "it's" or config.x = 'a "b"'`)).toMatchObject({
      items: [{ value: { value: "it's" } }, { value: { value: 'a "b"' } }],
    });
  });

  it('points at a \\u escape with fewer than four hex digits, and at an unclosed string', () => {
    expect(errorOf(String.raw`config.x = "a\u12g4"`)).toEqual({
      message: 'unknown escape in string',
      position: 13,
    });
    expect(errorOf(String.raw`config.x = "\u12"`)).toEqual({
      message: 'unknown escape in string',
      position: 12,
    });
    expect(errorOf(String.raw`config.x = "abc\"`)).toEqual({
      message: 'unterminated string',
      position: 11,
    });
    expect(errorOf(`config.x = 'abc"`)).toEqual({ message: 'unterminated string', position: 11 });
  });
});

describe('regular expressions', () => {
  it('ends a literal at a slash after an escaped backslash', () => {
    expect(ast(String.raw`config.x ~ /a\\/i`)).toEqual({
      type: 'matches',
      path: ['config', 'x'],
      pattern: String.raw`a\\`,
      flags: 'i',
    });
  });

  it('reads the text column with matches, ~ and contains only', () => {
    expect(ast('text matches "a" and text ~ /b/s')).toMatchObject({
      items: [
        { type: 'matches', path: ['text'], pattern: 'a' },
        { type: 'matches', path: ['text'], pattern: 'b', flags: 's' },
      ],
    });
    expect(errorOf('text = a')).toEqual({
      message: '"text" (free-text search) takes contains or ~',
      position: 5,
    });
    expect(errorOf('text has a')).toMatchObject({ position: 5 });
  });

  it('points at a pattern that is missing or no regular expression', () => {
    expect(errorOf('config.x ~ ')).toEqual({
      message: 'expected a "pattern" or /pattern/flags after "~", found the end',
      position: 11,
    });
    expect(errorOf('config.x ~ "a(?=b)"').message).toMatch(/^invalid regular expression: .*RE2/u);
  });
});

describe('parentheses', () => {
  it('says what stands where the closing parenthesis should be', () => {
    expect(errorOf('(status exists x')).toEqual({
      message: 'expected ")", found "x"',
      position: 15,
    });
    expect(errorOf('( status exists')).toEqual({
      message: 'missing ")" for the "(" here',
      position: 0,
    });
    expect(errorOf('status exists and ( )')).toEqual({
      message: 'empty parentheses',
      position: 18,
    });
  });

  it('points at an unmatched ")" after a whole filter', () => {
    expect(errorOf('status exists ) and id = 1')).toEqual({
      message: 'unmatched ")"',
      position: 14,
    });
  });

  it('says where a condition is missing after not, and or or', () => {
    expect(errorOf('not ')).toEqual({
      message: 'expected a condition, found the end',
      position: 4,
    });
    expect(errorOf('status exists or ')).toEqual({
      message: 'expected a condition, found the end',
      position: 17,
    });
  });
});

describe('messages name the operator and the token', () => {
  it('names contains or has when its value is missing', () => {
    expect(errorOf('tags contains')).toEqual({
      message: 'expected a value after "contains", found the end',
      position: 13,
    });
    expect(errorOf('text contains ')).toEqual({
      message: 'expected a value after "contains", found the end',
      position: 14,
    });
    expect(errorOf('tags has')).toEqual({
      message: 'expected a value after "has", found the end',
      position: 8,
    });
  });

  it('names the parenthesis itself when one stands where a value goes', () => {
    expect(errorOf('config.x = (1)')).toEqual({
      message: 'expected a value after "=", found "("',
      position: 11,
    });
    expect(errorOf('config.x = )abc')).toEqual({
      message: 'expected a value after "=", found ")"',
      position: 11,
    });
  });
});

describe('column ids (table columns, sort keys)', () => {
  it('read with spaces around them and refuse a filter after them', () => {
    expect(parseColumnId('  config.lr  ')).toEqual({ ok: true, path: ['config', 'lr'] });
    expect(parseColumnId('config.lr = 1')).toEqual({
      ok: false,
      error: { message: 'unexpected "=" after the column', position: 10 },
    });
    expect(parseColumnId('')).toEqual({
      ok: false,
      error: { message: 'expected a column, found the end', position: 0 },
    });
  });
});
