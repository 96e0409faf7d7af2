// Issue 11 items 4 and 5: no filter text or tree, however deep or however cruel its regex,
// overflows the stack or holds the core's thread; each is rows or a clear usage error.
import { describe, expect, it } from 'vitest';
import {
  MAX_FILTER_DEPTH,
  compileFilterRegex,
  describeFilterError,
  formatFilter,
  parseFilter,
} from '../../shared/filter';
import { FilterNodeSchema } from '../../shared/filter/filter-schema';
import { MAX_ARGUMENT_DEPTH, checkMethodArgs } from '../../shared/method-args';
import { AltarError } from '../../shared/errors';
import { budgetedRegexTest } from '../../main/core/query/regex-budget';
import { resolveWhere } from '../../main/core/query/query-engine';
import {
  BACKTRACKING_BAIT,
  CATASTROPHIC_PATTERNS,
  deepJson,
  groupLadder,
  hostileFilterTexts,
  notChain,
} from '../support/hostile-filters';

const corpus = hostileFilterTexts();

describe('hostile filter texts', () => {
  it.each(corpus.map((entry) => [entry.name, entry] as const))(
    '%s: parsed or refused, never thrown',
    (_name, entry) => {
      const parsed = parseFilter(entry.text);
      expect(parsed.ok ? 'ok' : 'usage').toBe(entry.outcome);
      if (!parsed.ok) expect(describeFilterError(parsed.error)).not.toMatch(/call stack/iu);
    },
  );

  it.each([5000, 100_000])(
    'says where a filter nested %i levels deep goes past the limit',
    (depth) => {
      const parsed = parseFilter(`${'('.repeat(depth)}status exists${')'.repeat(depth)}`);
      expect(parsed).toEqual({
        ok: false,
        error: {
          message: `the filter nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses, "not", "and" and "or"`,
          position: MAX_FILTER_DEPTH,
        },
      });
      const nots = parseFilter(`${'not '.repeat(depth)}status exists`);
      expect(nots.ok).toBe(false);
    },
  );

  it('keeps a filter at the limit, and formats it back to text that parses', () => {
    const parsed = parseFilter(`${'not ('.repeat(50)}status exists${')'.repeat(50)}`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.ast === null) return;
    expect(parseFilter(formatFilter(parsed.ast)).ok).toBe(true);
  });
});

describe('hostile filter trees and arguments', () => {
  it.each([5000, 100_000])('refuses a not-chain tree %i deep as INVALID_ARGUMENT', (depth) => {
    const checked = checkMethodArgs('queryRuns', { where: notChain(depth) });
    expect(checked).toEqual({
      ok: false,
      message: `queryRuns: arguments: nest deeper than ${MAX_ARGUMENT_DEPTH} levels of arrays and objects`,
    });
  });

  it('refuses a tree under the argument limit but past the filter limit, by name', () => {
    const tree = notChain(240);
    expect(checkMethodArgs('queryRuns', { where: tree }).ok).toBe(true);
    expect(() => resolveWhere(tree)).toThrow(AltarError);
    expect(() => resolveWhere(tree)).toThrow(/nests deeper than 100 levels/u);
    expect(resolveWhere(notChain(100))).not.toBeNull();
  });

  it('refuses an and/or ladder 5,000 deep and a view layout 100,000 deep', () => {
    expect(
      checkMethodArgs('distinctValues', { column: 'status', where: groupLadder(5000) }).ok,
    ).toBe(false);
    const view = {
      name: 'v',
      columns: [],
      filter: '',
      sort: [],
      sources: null,
      layout: { widths: deepJson(100_000) },
    };
    expect(checkMethodArgs('saveView', view)).toMatchObject({ ok: false });
    expect(checkMethodArgs('saveView', { ...view, layout: { widths: deepJson(50) } }).ok).toBe(
      true,
    );
  });

  it('checks regexes in a tree with the same engine as the text form', () => {
    const tree = { type: 'matches', path: ['experiment'], pattern: 'a(?=b)', flags: '' };
    const parsed = FilterNodeSchema.safeParse(tree);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/no look-around or back-references/u);
  });
});

describe('filter regexes run in linear time (RE2)', () => {
  it.each(CATASTROPHIC_PATTERNS)('%s answers on a text that makes RegExp backtrack', (pattern) => {
    const compiled = compileFilterRegex(pattern, '');
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(typeof compiled.regex.test(BACKTRACKING_BAIT)).toBe('boolean');
    expect(typeof compiled.regex.test(BACKTRACKING_BAIT.repeat(2000))).toBe('boolean');
  });

  it('matches as JavaScript would for ordinary patterns, flags and \\u escapes', () => {
    const test = (pattern: string, flags: string, text: string): boolean => {
      const compiled = compileFilterRegex(pattern, flags);
      if (!compiled.ok) throw new Error(compiled.reason);
      return compiled.regex.test(text);
    };
    expect(test('^mnist_\\d+$', '', 'mnist_12')).toBe(true);
    expect(test('^MNIST', 'i', 'mnist_12')).toBe(true);
    expect(test('^MNIST', '', 'mnist_12')).toBe(false);
    expect(test('^b$', 'm', 'a\nb')).toBe(true);
    expect(test('a.b', 's', 'a\nb')).toBe(true);
    expect(test('a.b', '', 'a\nb')).toBe(false);
    expect(test('caf\\u00e9', '', 'café')).toBe(true);
    expect(test('\\u{1F600}', 'u', 'smile 😀')).toBe(true);
    expect(test('a\\\\u0041', '', 'a\\u0041')).toBe(true);
    expect(test('lr=0\\.1', '', 'lr=0.1')).toBe(true);
  });

  it('refuses what RE2 cannot do, saying why', () => {
    for (const pattern of ['a(?=b)', '(?<!a)b', '(a)\\1']) {
      const compiled = compileFilterRegex(pattern, '');
      expect(compiled.ok).toBe(false);
      if (!compiled.ok) expect(compiled.reason).toMatch(/RE2.*no look-around or back-references/u);
    }
    const big = compileFilterRegex('((a|b|c|d|e){50}){20}', '');
    expect(big).toMatchObject({ ok: false, reason: expect.stringMatching(/too complex/u) });
  });
});

describe('the regex time budget', () => {
  const regex = (() => {
    const compiled = compileFilterRegex('run_\\d+', '');
    if (!compiled.ok) throw new Error(compiled.reason);
    return compiled.regex;
  })();

  it('stops a regex that has used its time, as a usage error naming it', () => {
    let now = 0;
    const test = budgetedRegexTest(regex, {
      shown: '/run_\\d+/',
      budgetMs: 1000,
      clock: () => now,
    });
    expect(test('run_1')).toBe(true);
    now = 999;
    expect(test('other')).toBe(false);
    now = 1001;
    let thrown: unknown = null;
    try {
      test('run_2');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AltarError);
    expect(thrown).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message:
        'where: the regular expression /run_\\d+/ took more than 1 s over 2 values and was stopped: simplify it',
    });
  });

  it('refuses a text too long for the pattern before testing it', () => {
    const test = budgetedRegexTest(regex, { shown: '/x/', costLimit: 100, clock: () => 0 });
    expect(test('run_7')).toBe(true);
    expect(() => test('x'.repeat(1000))).toThrow(/too complex for a text of 1000 characters/u);
  });
});
