import { compileFilterRegex } from '../../../shared/filter';
import type {
  ColumnPath,
  CompareOp,
  FilterNode,
  FilterRegex,
  FilterValue,
} from '../../../shared/filter';
import { AltarError } from '../../../shared/errors';
import { runIdNumber } from '../../../shared/run-id-order';
import { Kind, isoDateMs } from './column';
import type { Column } from './column';
import { budgetedRegexTest } from './regex-budget';

/** Gives the column of a path for the segment being filtered. */
export type ColumnGetter = (path: ColumnPath) => Column;

const TEXT_SEARCH_COLUMNS: ColumnPath[] = [['experiment'], ['notes'], ['comment'], ['tags']];

/**
 * Which rows of one source match: 1 per matching row. Predicates on strings and lists are
 * decided once per dictionary entry, then applied per row.
 */
export function evaluateFilter(node: FilterNode, length: number, get: ColumnGetter): Uint8Array {
  switch (node.type) {
    case 'and': {
      const out = new Uint8Array(length).fill(1);
      for (const item of node.items) {
        const mask = evaluateFilter(item, length, get);
        for (let i = 0; i < length; i++) out[i] = (out[i] as number) & (mask[i] as number);
      }
      return out;
    }
    case 'or': {
      const out = new Uint8Array(length);
      for (const item of node.items) {
        const mask = evaluateFilter(item, length, get);
        for (let i = 0; i < length; i++) out[i] = (out[i] as number) | (mask[i] as number);
      }
      return out;
    }
    case 'not':
      return invert(evaluateFilter(node.item, length, get));
    case 'compare': {
      const value = literalFor(node.path, node.value);
      if (node.op === '!=') return invert(compareMask(get(checkNotText(node.path)), '=', value));
      return compareMask(get(checkNotText(node.path)), node.op, value);
    }
    case 'in': {
      const column = get(checkNotText(node.path));
      const out = new Uint8Array(length);
      for (const value of node.values) {
        const mask = compareMask(column, '=', literalFor(node.path, value));
        for (let i = 0; i < length; i++) out[i] = (out[i] as number) | (mask[i] as number);
      }
      return out;
    }
    case 'contains':
      if (isText(node.path)) return textMask(length, get, containsText(literalText(node.value)));
      return containsMask(get(node.path), node.value);
    case 'matches': {
      const test = budgetedRegexTest(compiledRegex(node.pattern, node.flags), {
        shown: `/${node.pattern}/${node.flags}`,
      });
      if (isText(node.path)) return textMask(length, get, test);
      return stringMask(get(node.path), test, true);
    }
    case 'exists':
    case 'missing': {
      const column = get(checkNotText(node.path));
      const want = node.type === 'exists';
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = (column.kinds[i] !== Kind.Missing) === want ? 1 : 0;
      return out;
    }
    case 'text':
      return textMask(length, get, containsText(node.value));
  }
}

/** `id = "3"` means `id = 3`: a quoted number id is the number (shared/run-id-order.ts). */
function literalFor(path: ColumnPath, value: FilterValue): FilterValue {
  if (path.length !== 1 || path[0] !== 'id' || value.type !== 'string') return value;
  const number = runIdNumber(value.value);
  return number === null ? value : { type: 'number', value: number };
}

/** Patterns reach here checked (parser or schema); a refusal is still a usage error. */
function compiledRegex(pattern: string, flags: string): FilterRegex {
  const compiled = compileFilterRegex(pattern, flags);
  if (!compiled.ok) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `where: invalid regular expression: ${compiled.reason}`,
    );
  }
  return compiled.regex;
}

function isText(path: ColumnPath): boolean {
  return path.length === 1 && path[0] === 'text';
}

function checkNotText(path: ColumnPath): ColumnPath {
  if (isText(path)) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      'where: "text" (free-text search) supports only contains and ~',
    );
  }
  return path;
}

function invert(mask: Uint8Array): Uint8Array {
  for (let i = 0; i < mask.length; i++) mask[i] = (mask[i] as number) ^ 1;
  return mask;
}

/** The text a literal stands for in a substring search. */
export function literalText(value: FilterValue): string {
  switch (value.type) {
    case 'null':
      return 'null';
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'number':
      return String(value.value);
    default:
      return value.value;
  }
}

function containsText(needle: string): (text: string) => boolean {
  const lower = needle.toLowerCase();
  return (text) => text.toLowerCase().includes(lower);
}

/** Free text: experiment, notes, comment, or any tag. */
function textMask(length: number, get: ColumnGetter, test: (text: string) => boolean): Uint8Array {
  const out = new Uint8Array(length);
  for (const path of TEXT_SEARCH_COLUMNS) {
    const mask = stringMask(get(path), test, true);
    for (let i = 0; i < length; i++) out[i] = (out[i] as number) | (mask[i] as number);
  }
  return out;
}

/** Rows whose string (or, with lists, any string element; or date text) passes `test`. */
function stringMask(column: Column, test: (text: string) => boolean, lists: boolean): Uint8Array {
  const { dict } = column;
  const ok = new Uint8Array(dict.length);
  const kindOfCode = column.codeKinds();
  for (let code = 0; code < dict.length; code++) {
    const kind = kindOfCode[code];
    const text = dict[code] as string;
    // A number with a dictionary entry is a number run id: searched as its text.
    if (kind === Kind.String || kind === Kind.Date || kind === Kind.Number) {
      ok[code] = test(text) ? 1 : 0;
    } else if (kind === Kind.List && lists) {
      const items = JSON.parse(text) as unknown[];
      ok[code] = items.some((item) => typeof item === 'string' && test(item)) ? 1 : 0;
    }
  }
  return applyPerCode(column, ok, (text) => test(text));
}

/**
 * Rows whose dictionary entry passed (`ok` per code); date rows without an entry (written
 * as toISOString writes them) are tested on their text.
 */
function applyPerCode(
  column: Column,
  ok: Uint8Array,
  dateTest: (text: string) => boolean,
): Uint8Array {
  const { kinds, length } = column;
  const out = new Uint8Array(length);
  const codes = column.codes;
  for (let i = 0; i < length; i++) {
    const kind = kinds[i];
    if (kind === Kind.Missing || kind === Kind.Object) continue;
    const code = codes === null ? -1 : (codes[i] as number);
    if (code >= 0) out[i] = ok[code] as number;
    else if (kind === Kind.Date) out[i] = dateTest(column.text(i) as string) ? 1 : 0;
  }
  return out;
}

function containsMask(column: Column, value: FilterValue): Uint8Array {
  const needle = literalText(value).toLowerCase();
  const { dict } = column;
  const kindOfCode = column.codeKinds();
  const ok = new Uint8Array(dict.length);
  for (let code = 0; code < dict.length; code++) {
    const kind = kindOfCode[code];
    const text = dict[code] as string;
    if (kind === Kind.String || kind === Kind.Date || kind === Kind.Number)
      ok[code] = text.toLowerCase().includes(needle) ? 1 : 0;
    else if (kind === Kind.List) {
      ok[code] = (JSON.parse(text) as unknown[]).some((item) => elementEquals(item, value)) ? 1 : 0;
    }
  }
  return applyPerCode(column, ok, (text) => text.toLowerCase().includes(needle));
}

/** A list element equal to the literal (no type coercion). */
export function elementEquals(item: unknown, value: FilterValue): boolean {
  switch (value.type) {
    case 'null':
      return item === null;
    case 'bool':
    case 'number':
    case 'string':
      return item === value.value;
    case 'date':
      return typeof item === 'string' && isoDateMs(item) === isoDateMs(value.value);
  }
}

function test(op: CompareOp, sign: number): boolean {
  switch (op) {
    case '=':
      return sign === 0;
    case '!=':
      return sign !== 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

function numberSign(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
}

/** Rows where `value op literal` holds; values of another type never match. */
function compareMask(column: Column, op: CompareOp, literal: FilterValue): Uint8Array {
  const { kinds, nums, length } = column;
  const out = new Uint8Array(length);
  if (literal.type === 'null') {
    if (op !== '=') return out;
    for (let i = 0; i < length; i++) {
      out[i] = kinds[i] === Kind.Null || kinds[i] === Kind.Missing ? 1 : 0;
    }
    return out;
  }
  if (literal.type === 'number' || literal.type === 'bool') {
    const kind = literal.type === 'number' ? Kind.Number : Kind.Bool;
    const target = literal.type === 'number' ? literal.value : literal.value ? 1 : 0;
    for (let i = 0; i < length; i++) {
      if (kinds[i] === kind) out[i] = test(op, numberSign(nums[i] as number, target)) ? 1 : 0;
    }
    return out;
  }
  // Strings and dates: string rows compare per dictionary entry; date rows by time.
  const dateMs = isoDateMs(literal.value);
  const dict = column.dict;
  const okCode = new Uint8Array(dict.length);
  if (literal.type === 'string') {
    // The column's own text order: for run ids, text ids before ObjectIds, as `--sort id`.
    const order = column.textOrder;
    for (let code = 0; code < dict.length; code++) {
      okCode[code] = test(op, order(dict[code] as string, literal.value)) ? 1 : 0;
    }
  } else {
    const dates = column.dictDates();
    for (let code = 0; code < dict.length; code++) {
      okCode[code] = test(op, numberSign(dates[code] as number, dateMs)) ? 1 : 0;
    }
  }
  const codes = column.codes;
  for (let i = 0; i < length; i++) {
    const kind = kinds[i];
    if (kind === Kind.String && codes !== null) out[i] = okCode[codes[i] as number] as number;
    else if (kind === Kind.Date && !Number.isNaN(dateMs)) {
      out[i] = test(op, numberSign(nums[i] as number, dateMs)) ? 1 : 0;
    }
  }
  return out;
}
