// Filter strings and trees an attacker (or a runaway script) may send through `--where`, the
// filter box or queryRuns: each must be answered quickly, as rows or as a usage error.
import type { FilterNode } from '../../shared/filter';

export interface HostileFilter {
  name: string;
  text: string;
  /** usage: refused as INVALID_ARGUMENT (HTTP 400, CLI exit 2); ok: a normal answer. */
  outcome: 'usage' | 'ok';
}

/** Patterns that backtrack for hours in JavaScript's RegExp on a text of a few dozen chars. */
export const CATASTROPHIC_PATTERNS = [
  '(.*.*.*.*)*!',
  '^(a+)+$',
  '(a|a)*b',
  '(a|aa)+$',
  '^(\\w+\\s?)*$',
  '(x+x+)+y',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '(.*a){20}',
];

/** A text on which every catastrophic pattern above backtracks without end in RegExp. */
export const BACKTRACKING_BAIT = `${'a'.repeat(48)}\u0000`;

const nested = (depth: number, inner: string): string =>
  `${'('.repeat(depth)}${inner}${')'.repeat(depth)}`;

export function hostileFilterTexts(): HostileFilter[] {
  const list: HostileFilter[] = [];
  for (const depth of [101, 1000, 5000, 100_000]) {
    list.push({
      name: `${depth} parentheses`,
      text: nested(depth, 'status = COMPLETED'),
      outcome: 'usage',
    });
    list.push({
      name: `${depth} nots`,
      text: `${'not '.repeat(depth)}status = COMPLETED`,
      outcome: 'usage',
    });
    list.push({
      name: `${depth} mixed not (`,
      text: `${'not ('.repeat(depth)}experiment exists${')'.repeat(depth)}`,
      outcome: 'usage',
    });
  }
  list.push({
    name: '100 parentheses (the limit)',
    text: nested(100, 'status exists'),
    outcome: 'ok',
  });
  list.push({
    name: '100 nots (the limit)',
    text: `${'not '.repeat(100)}status exists`,
    outcome: 'ok',
  });
  list.push({ name: 'unclosed 100,000', text: '('.repeat(100_000), outcome: 'usage' });
  list.push({
    name: 'closing 100,000',
    text: `status exists${')'.repeat(100_000)}`,
    outcome: 'usage',
  });
  list.push({
    name: '5,000 ands',
    text: Array.from({ length: 5_000 }, () => 'status exists').join(' and '),
    outcome: 'ok',
  });
  list.push({
    name: '2,500 ors of a regex',
    text: Array.from({ length: 2_500 }, (_, i) => `experiment ~ "x${i}"`).join(' or '),
    outcome: 'ok',
  });
  for (const pattern of CATASTROPHIC_PATTERNS) {
    list.push({
      name: `regex ${pattern}`,
      text: `experiment ~ /${pattern.replace(/\//gu, '\\/')}/`,
      outcome: 'ok',
    });
    list.push({
      name: `text regex ${pattern}`,
      text: `text ~ ${JSON.stringify(pattern)}`,
      outcome: 'ok',
    });
  }
  list.push({ name: 'lookahead', text: 'experiment ~ /a(?=b)/', outcome: 'usage' });
  list.push({ name: 'back-reference', text: 'experiment ~ /(a)\\1/', outcome: 'usage' });
  list.push({ name: 'huge repetition', text: 'experiment ~ /a{1000}{1000}/', outcome: 'usage' });
  list.push({
    name: 'regex program too big',
    text: 'experiment ~ /((a|b|c|d|e){50}){20}/',
    outcome: 'usage',
  });
  list.push({ name: 'unterminated regex', text: 'experiment ~ /(((', outcome: 'usage' });
  list.push({ name: 'bad flag', text: 'experiment ~ /a/g', outcome: 'usage' });
  list.push({
    name: 'long quoted string',
    text: `experiment = "${'x'.repeat(90_000)}"`,
    outcome: 'ok',
  });
  list.push({
    name: 'unterminated string',
    text: `experiment = "${'x'.repeat(90_000)}`,
    outcome: 'usage',
  });
  list.push({
    name: 'NUL and controls',
    text: 'experiment = "\u0000\u0001\u001b[2J"',
    outcome: 'ok',
  });
  list.push({ name: 'lone surrogate', text: 'experiment ~ "\ud800"', outcome: 'ok' });
  list.push({
    name: 'prototype keys',
    text: 'config.__proto__.constructor exists or config.constructor.prototype = 1',
    outcome: 'ok',
  });
  list.push({
    name: 'SQL-looking value',
    text: `experiment = "x'; DROP TABLE runs; --"`,
    outcome: 'ok',
  });
  list.push({ name: 'huge number', text: 'config.lr > 1e999', outcome: 'usage' });
  list.push({
    name: 'deep column path',
    text: `config.${Array.from({ length: 10_000 }, () => 'a').join('.')} exists`,
    outcome: 'ok',
  });
  list.push({
    name: 'unicode escape regex',
    text: 'experiment ~ /\\u00e9|\\u{1F600}/u',
    outcome: 'ok',
  });
  return list;
}

/** A `not` chain `depth` levels deep, as the UI may send a tree instead of text. */
export function notChain(depth: number): FilterNode {
  let node: FilterNode = { type: 'exists', path: ['status'] };
  for (let i = 0; i < depth; i++) node = { type: 'not', item: node };
  return node;
}

/** An and/or ladder `depth` levels deep. */
export function groupLadder(depth: number): FilterNode {
  let node: FilterNode = { type: 'exists', path: ['status'] };
  for (let i = 0; i < depth; i++) {
    node = {
      type: i % 2 === 0 ? 'and' : 'or',
      items: [node, { type: 'missing', path: ['notes'] }],
    };
  }
  return node;
}

/** JSON nested `depth` arrays deep, for arguments that take any JSON (a view's layout). */
export function deepJson(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}
