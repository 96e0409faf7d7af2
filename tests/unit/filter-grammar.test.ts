import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import {
  describeFilterError,
  formatColumnPath,
  formatFilter,
  normalizeFilter,
  parseColumnId,
  parseFilter,
} from '../../shared/filter';
import type { FilterNode, FilterValue } from '../../shared/filter';
import { FilterNodeSchema } from '../../shared/filter/filter-schema';

function ast(text: string): FilterNode | null {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(`${text}: ${describeFilterError(parsed.error)}`);
  return parsed.ast;
}

function errorOf(text: string): { message: string; position: number } {
  const parsed = parseFilter(text);
  if (parsed.ok) throw new Error(`expected "${text}" to fail`);
  return parsed.error;
}

const num = (value: number): FilterValue => ({ type: 'number', value });
const str = (value: string): FilterValue => ({ type: 'string', value });

describe('parseFilter: what users type', () => {
  it('parses the issue example into comparisons, an in-list and a metric summary', () => {
    expect(
      ast(
        'config.optimizer.lr >= 0.001 and status in (COMPLETED, RUNNING) and metrics.loss.last < 0.2',
      ),
    ).toEqual({
      type: 'and',
      items: [
        { type: 'compare', path: ['config', 'optimizer', 'lr'], op: '>=', value: num(0.001) },
        { type: 'in', path: ['status'], values: [str('COMPLETED'), str('RUNNING')] },
        { type: 'compare', path: ['metrics', 'loss', 'last'], op: '<', value: num(0.2) },
      ],
    });
  });

  it('binds not tighter than and, and tighter than or; parentheses regroup', () => {
    expect(ast('not dead = true and id = 1 or id = 2')).toEqual({
      type: 'or',
      items: [
        {
          type: 'and',
          items: [
            {
              type: 'not',
              item: {
                type: 'compare',
                path: ['dead'],
                op: '=',
                value: { type: 'bool', value: true },
              },
            },
            { type: 'compare', path: ['id'], op: '=', value: num(1) },
          ],
        },
        { type: 'compare', path: ['id'], op: '=', value: num(2) },
      ],
    });
    expect(ast('id = 1 and (id = 2 or id = 3)')).toMatchObject({
      type: 'and',
      items: [{ type: 'compare' }, { type: 'or' }],
    });
  });

  it('keeps keys with dots, spaces, $ and quotes as single segments', () => {
    expect(ast('config."a.b".c = 1')).toMatchObject({ path: ['config', 'a.b', 'c'] });
    expect(ast("config.'my key' exists")).toEqual({ type: 'exists', path: ['config', 'my key'] });
    expect(ast('info."$set" missing')).toEqual({ type: 'missing', path: ['info', '$set'] });
    expect(ast('config."say \\"hi\\"" = x')).toMatchObject({ path: ['config', 'say "hi"'] });
    expect(ast('config.layers.0 > 3')).toMatchObject({ path: ['config', 'layers', '0'] });
    expect(ast('metrics."train.loss".last10 < 1')).toMatchObject({
      path: ['metrics', 'train.loss', 'last10'],
    });
  });

  it('reads values: numbers, quoted and bare strings, dates, booleans, null', () => {
    expect(ast('config.x = -1.5e-3')).toMatchObject({ value: num(-0.0015) });
    expect(ast('config.x = .5')).toMatchObject({ value: num(0.5) });
    expect(ast('host = gpu-01.lab')).toMatchObject({ value: str('gpu-01.lab') });
    expect(ast("notes = 'it''s'".replace("''", "\\'"))).toMatchObject({ value: str("it's") });
    expect(ast('start_time >= 2024-05-01')).toMatchObject({
      value: { type: 'date', value: '2024-05-01' },
    });
    expect(ast('stop_time < 2024-05-01T10:30:00.5+02:00')).toMatchObject({
      value: { type: 'date', value: '2024-05-01T10:30:00.5+02:00' },
    });
    expect(ast('config.flag = FALSE')).toMatchObject({ value: { type: 'bool', value: false } });
    expect(ast('result = null')).toMatchObject({ value: { type: 'null' } });
    expect(ast('config.name = "and"')).toMatchObject({ value: str('and') });
  });

  it('accepts keywords in any case and == / <> as = / !=', () => {
    expect(ast('id = 1 AND id == 2 Or id <> 3')).toMatchObject({
      type: 'or',
      items: [
        { type: 'and', items: [{ op: '=' }, { op: '=' }] },
        { type: 'compare', op: '!=' },
      ],
    });
  });

  it('reads contains, regexes in both spellings, exists and missing', () => {
    expect(ast('tags contains best')).toEqual({
      type: 'contains',
      path: ['tags'],
      value: str('best'),
    });
    expect(ast('experiment ~ "^res"')).toEqual({
      type: 'matches',
      path: ['experiment'],
      pattern: '^res',
      flags: '',
    });
    expect(ast('experiment matches /a\\/b\\d/i')).toEqual({
      type: 'matches',
      path: ['experiment'],
      pattern: 'a/b\\d',
      flags: 'i',
    });
  });

  it('reads "tags has X" as a list holding X, the same condition as contains', () => {
    expect(ast('tags has best')).toEqual(ast('tags contains best'));
    expect(ast('tags has "lr sweep" and status = COMPLETED')).toMatchObject({
      type: 'and',
      items: [{ type: 'contains', path: ['tags'], value: str('lr sweep') }, { type: 'compare' }],
    });
    expect(parseFilter('tags has').ok).toBe(false);
  });

  it('treats a bare quoted string as free-text search, and text as its column', () => {
    expect(ast('"resnet" and status = FAILED')).toMatchObject({
      type: 'and',
      items: [{ type: 'text', value: 'resnet' }, { type: 'compare' }],
    });
    expect(ast('text contains foo')).toEqual({
      type: 'contains',
      path: ['text'],
      value: str('foo'),
    });
  });

  it('reads blank text as no filter', () => {
    expect(parseFilter('')).toEqual({ ok: true, ast: null });
    expect(parseFilter('   \n ')).toEqual({ ok: true, ast: null });
  });
});

describe('parseFilter: errors point at the problem', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['config.lr >= ', 13, /expected a value after ">="/u],
    ['config.lr >= 0.1 and', 20, /expected a condition/u],
    ['foo.bar = 1', 0, /unknown column "foo"/u],
    ['status = COMPLETED)', 18, /unmatched "\)"/u],
    ['(status = COMPLETED', 0, /missing "\)"/u],
    ['config.x in (1, 2', 12, /missing "\)" to close the list/u],
    ['config.x in 1', 12, /expected "\(" after "in"/u],
    ['config.x ~ "("', 11, /invalid regular expression/u],
    ['config.x ~ /a/g', 14, /unsupported regular expression flag "g"/u],
    ['config.x = "abc', 11, /unterminated string/u],
    ['config.x = and', 11, /keyword "and"/u],
    ['config.x 3', 9, /expected an operator/u],
    ['config. = 3', 7, /expected a key after "\."/u],
    ['config = 3', 0, /"config" needs a key/u],
    ['status.x = 3', 0, /"status" has no keys/u],
    ['metrics.loss = 3', 0, /metrics\.<name>\.<last/u],
    ['metrics.loss.avg = 3', 0, /unknown metric summary "avg"/u],
    ['text = 3', 5, /"text" \(free-text search\) takes contains or ~/u],
    ['start_time > 2024-13-45', 13, /not a valid date/u],
    ['"free" = 3', 7, /expected "and", "or" or the end/u],
    ['()', 0, /empty parentheses/u],
    ['config.x = "a\\q"', 13, /unknown escape/u],
  ];
  it.each(cases)('%s → position %i', (text, position, message) => {
    const error = errorOf(text);
    expect(error.message).toMatch(message);
    expect(error.position).toBe(position);
  });

  it('describes an error in one line with a 1-based column', () => {
    expect(describeFilterError(errorOf('config.lr >= '))).toBe(
      'expected a value after ">=", found the end (at column 14)',
    );
  });
});

describe('column ids', () => {
  it('quote only segments that need it and parse back to the same path', () => {
    const paths = [
      ['config', 'optimizer', 'lr'],
      ['config', 'a.b', 'c'],
      ['info', '$set'],
      ['config', 'with space', 'x"y'],
      ['metrics', 'train.loss', 'last'],
      ['config', ''],
      ['config', '0'],
      ['status'],
    ];
    for (const path of paths) {
      const id = formatColumnPath(path);
      expect(parseColumnId(id)).toEqual({ ok: true, path });
    }
    expect(formatColumnPath(['config', 'a.b', 'c'])).toBe('config."a.b".c');
    expect(formatColumnPath(['config', 'lr-decay'])).toBe('config.lr-decay');
  });

  it('rejects what is not a column id', () => {
    expect(parseColumnId('config.x = 1')).toMatchObject({ ok: false, error: { position: 9 } });
    expect(parseColumnId('nope')).toMatchObject({ ok: false });
  });
});

describe('formatFilter round trip', () => {
  it('formats canonically and parses back to the same tree', () => {
    const texts = [
      'config.optimizer.lr >= 0.001 and status in (COMPLETED, RUNNING) and metrics.loss.last < 0.2',
      'not (id = 1 or id = 2) and "free text"',
      'id = 1 or (id = 2 or id = 3)',
      '(id = 1 and id = 2) and id = 3',
      'not not dead = true',
      'config."a b" ~ /x\\/y/i and experiment ~ "^(a|b)$"',
      'notes contains "don\'t" and host != "gpu 1" and tags missing',
      'start_time >= 2024-05-01T10:00:00Z and result = null and config.flag = true',
    ];
    for (const text of texts) {
      const tree = ast(text);
      const formatted = formatFilter(tree);
      expect(ast(formatted)).toEqual(tree);
      expect(formatFilter(ast(formatted))).toBe(formatted);
    }
    expect(formatFilter(ast('id=1 AND  ( status=RUNNING OR dead=TRUE )'))).toBe(
      'id = 1 and (status = RUNNING or dead = true)',
    );
  });

  it('drops empty groups and unwraps single-item groups, as the UI builder may leave them', () => {
    const built: FilterNode = {
      type: 'and',
      items: [
        { type: 'or', items: [] },
        { type: 'or', items: [{ type: 'exists', path: ['config', 'x'] }] },
        { type: 'not', item: { type: 'and', items: [] } },
      ],
    };
    expect(normalizeFilter(built)).toEqual({ type: 'exists', path: ['config', 'x'] });
    expect(formatFilter(built)).toBe('config.x exists');
    expect(formatFilter({ type: 'and', items: [] })).toBe('');
    expect(formatFilter(null)).toBe('');
  });

  it('round-trips random trees (parse(format(t)) = normalize(t))', () => {
    const random = new SeededRandom(42);
    const segment = (): string =>
      random.pick(['lr', 'a.b', 'with space', '$x', 'k-1', '0', 'é', 'q"uote', 'AND', 'x\\y']);
    const path = (): string[] =>
      random.pick([
        () => [random.pick(['status', 'id', 'host', 'tags', 'notes', 'dead', 'start_time'])],
        () => ['config', segment(), ...(random.chance(0.5) ? [segment()] : [])],
        () => ['metrics', segment(), random.pick(['last', 'min', 'mean', 'last5'])],
      ])();
    const value = (): FilterValue =>
      random.pick<() => FilterValue>([
        () => ({ type: 'number', value: random.int(-1000, 1000) / random.pick([1, 8, 1000]) }),
        () => ({ type: 'number', value: random.pick([1e21, 1.5e-9, 123456789]) }),
        () => ({
          type: 'string',
          value: random.pick(['COMPLETED', 'a b', 'and', '', 'x"y', "it's", 'null', '12', '\n']),
        }),
        () => ({ type: 'bool', value: random.chance(0.5) }),
        () => ({ type: 'null' }),
        () => ({
          type: 'date',
          value: random.pick(['2024-05-01', '2024-05-01T10:00:00Z', '2024-05-01T10:00+02:00']),
        }),
      ])();
    const node = (depth: number): FilterNode => {
      const leaf = depth <= 0 || random.chance(0.4);
      if (!leaf) {
        const kind = random.pick(['and', 'or', 'not'] as const);
        if (kind === 'not') return { type: 'not', item: node(depth - 1) };
        return {
          type: kind,
          items: Array.from({ length: random.int(0, 3) }, () => node(depth - 1)),
        };
      }
      return random.pick<() => FilterNode>([
        () => ({
          type: 'compare',
          path: path(),
          op: random.pick(['=', '!=', '<', '<=', '>', '>='] as const),
          value: value(),
        }),
        () => ({ type: 'in', path: path(), values: [value(), value()] }),
        () => ({ type: 'contains', path: path(), value: value() }),
        () => ({
          type: 'matches',
          path: path(),
          pattern: random.pick(['^a', 'a/b', 'x"y', '\\d+']),
          flags: random.pick(['', 'i', 'im']),
        }),
        () => ({ type: 'exists', path: path() }),
        () => ({ type: 'missing', path: path() }),
        () => ({ type: 'text', value: random.pick(['res', 'a "q"', '']) }),
      ])();
    };
    for (let i = 0; i < 500; i++) {
      const tree = node(4);
      const text = formatFilter(tree);
      const parsed = parseFilter(text);
      expect(parsed, text).toEqual({ ok: true, ast: normalizeFilter(tree) });
    }
  });
});

describe('FilterNodeSchema: the tree the UI may send instead of text', () => {
  it('accepts parsed trees and rejects malformed ones', () => {
    expect(FilterNodeSchema.safeParse(ast('config.x > 1 and "y"')).success).toBe(true);
    const bad: unknown[] = [
      { type: 'compare', path: ['nope'], op: '=', value: { type: 'number', value: 1 } },
      { type: 'compare', path: ['config', 'x'], op: '~', value: { type: 'number', value: 1 } },
      { type: 'matches', path: ['config', 'x'], pattern: '(', flags: '' },
      { type: 'matches', path: ['config', 'x'], pattern: 'a', flags: 'g' },
      { type: 'matches', path: ['config', 'x'], pattern: 'a', flags: 'isi' },
      {
        type: 'compare',
        path: ['start_time'],
        op: '>',
        value: { type: 'date', value: 'yesterday' },
      },
      { type: 'in', path: ['status'], values: [] },
      { type: 'and', items: [{ type: 'bogus' }] },
    ];
    for (const tree of bad)
      expect(FilterNodeSchema.safeParse(tree).success, JSON.stringify(tree)).toBe(false);
  });
});
