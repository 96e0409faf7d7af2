import { TEXT_COLUMN, checkColumnPath } from './column-catalog';
import type {
  ColumnPath,
  CompareOp,
  FilterNode,
  FilterValue,
  ParseFilterResult,
} from './filter-ast';
import { FilterScanner, FilterSyntaxError, KEYWORDS } from './filter-scanner';
import { MAX_FILTER_DEPTH, filterTooDeepMessage } from './filter-depth';
import { compileFilterRegex } from './filter-regex';

/**
 * Parses the text form of a filter (recursive descent; grammar in
 * /work/notes/issue6-contract.md). Blank text is "no filter": `{ ok: true, ast: null }`.
 *
 *   filter    := or?
 *   or        := and ("or" and)*
 *   and       := unary ("and" unary)*
 *   unary     := "not" unary | "(" or ")" | STRING | condition
 *   condition := path ( op value | "in" "(" value ("," value)* ")" | ("contains" | "has") value
 *                     | ("~" | "matches") (STRING | /regex/flags) | "exists" | "missing" )
 */
export function parseFilter(text: string): ParseFilterResult {
  const scanner = new FilterScanner(text);
  try {
    if (scanner.atEnd()) return { ok: true, ast: null };
    const ast = parseOr(scanner, 0);
    if (!scanner.atEnd()) {
      const here = scanner.pos;
      const what = scanner.describeHere();
      const hint =
        scanner.peekChar() === ')'
          ? 'unmatched ")"'
          : `expected "and", "or" or the end, found ${what}`;
      throw new FilterSyntaxError(hint, here);
    }
    return { ok: true, ast };
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      return { ok: false, error: { message: error.message, position: error.position } };
    }
    throw error;
  }
}

/** Parses a column id (`config."a.b".c`, `metrics.loss.last`, `status`) into its path. */
export function parseColumnId(
  text: string,
): { ok: true; path: ColumnPath } | { ok: false; error: { message: string; position: number } } {
  const scanner = new FilterScanner(text);
  try {
    const path = parsePath(scanner);
    if (!scanner.atEnd()) {
      throw new FilterSyntaxError(
        `unexpected ${scanner.describeHere()} after the column`,
        scanner.pos,
      );
    }
    return { ok: true, path };
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      return { ok: false, error: { message: error.message, position: error.position } };
    }
    throw error;
  }
}

// `depth` counts the parentheses and `not`s around the current point: the parser recurses
// once per level, so a level past MAX_FILTER_DEPTH is a usage error, never a stack overflow.
function parseOr(s: FilterScanner, depth: number): FilterNode {
  const items = [parseAnd(s, depth)];
  while (s.eatKeyword('or')) items.push(parseAnd(s, depth));
  return items.length === 1 ? (items[0] as FilterNode) : { type: 'or', items };
}

function parseAnd(s: FilterScanner, depth: number): FilterNode {
  const items = [parseUnary(s, depth)];
  while (s.eatKeyword('and')) items.push(parseUnary(s, depth));
  return items.length === 1 ? (items[0] as FilterNode) : { type: 'and', items };
}

function parseUnary(s: FilterScanner, depth: number): FilterNode {
  s.skipSpace();
  const at = s.pos;
  if (s.eatKeyword('not')) {
    if (depth >= MAX_FILTER_DEPTH) throw new FilterSyntaxError(filterTooDeepMessage(), at);
    return { type: 'not', item: parseUnary(s, depth + 1) };
  }
  if (s.atEnd()) throw new FilterSyntaxError('expected a condition, found the end', s.pos);
  const open = s.pos;
  if (s.eat('(')) {
    if (depth >= MAX_FILTER_DEPTH) throw new FilterSyntaxError(filterTooDeepMessage(), open);
    if (s.peekChar() === ')') throw new FilterSyntaxError('empty parentheses', open);
    const inner = parseOr(s, depth + 1);
    if (!s.eat(')')) {
      throw new FilterSyntaxError(
        s.atEnd() ? 'missing ")" for the "(" here' : `expected ")", found ${s.describeHere()}`,
        s.atEnd() ? open : s.pos,
      );
    }
    return inner;
  }
  if (s.isQuoteNext()) return { type: 'text', value: s.quoted() };
  return parseCondition(s);
}

const COMPARE_OPS: ReadonlyArray<[string, CompareOp]> = [
  ['==', '='],
  ['!=', '!='],
  ['<>', '!='],
  ['<=', '<='],
  ['>=', '>='],
  ['=', '='],
  ['<', '<'],
  ['>', '>'],
];

function parseCondition(s: FilterScanner): FilterNode {
  const path = parsePath(s);
  s.skipSpace();
  const opAt = s.pos;
  if (path.length === 1 && path[0] === TEXT_COLUMN) {
    if (s.eat('~') || s.eatKeyword('matches')) return parseMatches(s, path);
    if (s.eatKeyword('contains'))
      return { type: 'contains', path, value: parseValue(s, 'contains') };
    throw new FilterSyntaxError('"text" (free-text search) takes contains or ~', opAt);
  }
  for (const [symbol, op] of COMPARE_OPS) {
    if (s.eat(symbol)) return { type: 'compare', path, op, value: parseValue(s, symbol) };
  }
  if (s.eat('~') || s.eatKeyword('matches')) return parseMatches(s, path);
  if (s.eatKeyword('in')) return { type: 'in', path, values: parseList(s) };
  if (s.eatKeyword('contains')) return { type: 'contains', path, value: parseValue(s, 'contains') };
  // `tags has best` (issue 15's spelling): a list holds the value; the same test as contains.
  if (s.eatKeyword('has')) return { type: 'contains', path, value: parseValue(s, 'has') };
  if (s.eatKeyword('exists')) return { type: 'exists', path };
  if (s.eatKeyword('missing')) return { type: 'missing', path };
  throw new FilterSyntaxError(
    `expected an operator (=, !=, <, <=, >, >=, in, contains, has, ~, exists, missing) after the column, found ${s.describeHere()}`,
    s.atEnd() ? s.text.length : opAt,
  );
}

function parsePath(s: FilterScanner): ColumnPath {
  s.skipSpace();
  const start = s.pos;
  if (s.isQuoteNext()) {
    throw new FilterSyntaxError('expected a column; only keys after a dot may be quoted', start);
  }
  const root = s.identifier();
  if (root === null)
    throw new FilterSyntaxError(`expected a column, found ${s.describeHere()}`, start);
  if (KEYWORDS.has(root.toLowerCase())) {
    throw new FilterSyntaxError(`expected a column, found the keyword "${root}"`, start);
  }
  const path: ColumnPath = [root];
  while (s.text[s.pos] === '.') {
    s.pos++;
    const at = s.pos;
    const segment = s.segment();
    if (segment === null) throw new FilterSyntaxError('expected a key after "."', at);
    path.push(segment);
  }
  const problem = checkColumnPath(path);
  if (problem !== null) throw new FilterSyntaxError(problem, start);
  return path;
}

function parseValue(s: FilterScanner, after: string): FilterValue {
  s.skipSpace();
  const at = s.pos;
  if (s.isQuoteNext()) return { type: 'string', value: s.quoted() };
  const date = s.date();
  if (date !== null) return { type: 'date', value: date };
  const number = s.number();
  if (number !== null) return { type: 'number', value: number };
  const word = s.peekWord();
  if (word === 'true' || word === 'false') {
    s.eatKeyword(word);
    return { type: 'bool', value: word === 'true' };
  }
  if (word === 'null') {
    s.eatKeyword(word);
    return { type: 'null' };
  }
  if (word !== '' && KEYWORDS.has(word)) {
    throw new FilterSyntaxError(
      `expected a value after "${after}", found the keyword "${word}" (quote it to mean the text)`,
      at,
    );
  }
  const bare = s.bareWord();
  if (bare !== null) return { type: 'string', value: bare };
  throw new FilterSyntaxError(
    `expected a value after "${after}", found ${s.describeHere()}`,
    s.atEnd() ? s.text.length : at,
  );
}

function parseList(s: FilterScanner): FilterValue[] {
  s.skipSpace();
  const open = s.pos;
  if (!s.eat('('))
    throw new FilterSyntaxError(`expected "(" after "in", found ${s.describeHere()}`, open);
  const values = [parseValue(s, s.pos === open + 1 ? '(' : ',')];
  while (s.eat(',')) values.push(parseValue(s, ','));
  if (!s.eat(')')) {
    throw new FilterSyntaxError(
      s.atEnd()
        ? 'missing ")" to close the list'
        : `expected "," or ")", found ${s.describeHere()}`,
      s.atEnd() ? open : s.pos,
    );
  }
  return values;
}

function parseMatches(s: FilterScanner, path: ColumnPath): FilterNode {
  s.skipSpace();
  const at = s.pos;
  let pattern: string;
  let flags = '';
  const literal = s.regexLiteral();
  if (literal !== null) ({ pattern, flags } = literal);
  else if (s.isQuoteNext()) pattern = s.quoted();
  else
    throw new FilterSyntaxError(
      `expected a "pattern" or /pattern/flags after "~", found ${s.describeHere()}`,
      at,
    );
  // The flags end the literal, so the first one is flags.length back from the cursor. Each
  // flag once, as JavaScript's RegExp wants them (RE2 would take `ii`, but no other tool does).
  const flagsAt = s.pos - flags.length;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i] as string;
    if (!'imsu'.includes(flag)) {
      throw new FilterSyntaxError(
        `unsupported regular expression flag "${flag}" (use i, m, s or u)`,
        flagsAt + i,
      );
    }
    if (flags.indexOf(flag) < i) {
      throw new FilterSyntaxError(`regular expression flag "${flag}" given twice`, flagsAt + i);
    }
  }
  const compiled = compileFilterRegex(pattern, flags);
  if (!compiled.ok) {
    throw new FilterSyntaxError(`invalid regular expression: ${compiled.reason}`, at);
  }
  return { type: 'matches', path, pattern, flags };
}
