import type { ColumnPath } from './filter-ast';
import { parseColumnId } from './parse-filter';

/**
 * What the word at the caret of a filter text is: a column to name, an operator after a
 * column, a value after an operator, or "and"/"or" after a whole condition. `from`/`to` is
 * the span a chosen suggestion replaces; `prefix` what is typed of it so far.
 */
export type CompletionContext =
  | { kind: 'column'; prefix: string; from: number; to: number }
  | { kind: 'operator'; prefix: string; from: number; to: number; path: ColumnPath }
  | { kind: 'value'; prefix: string; from: number; to: number; path: ColumnPath }
  | { kind: 'connector'; prefix: string; from: number; to: number };

/** Characters of the word being typed: a column path (quoted keys too) or a bare value. */
const WORD = /[A-Za-z0-9_.\-"'/:@+]/u;
/** A column path at the end of a text (quoted segments may hold anything but quotes). */
const PATH = String.raw`[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z0-9_-]+))*`;
const VALUE_AFTER = new RegExp(
  String.raw`(${PATH})\s*(?:==|!=|<>|<=|>=|=|<|>|\s(?:contains|matches)|~|\sin\s*\((?:[^()]*,)?)$`,
  'iu',
);
const PATH_AT_END = new RegExp(String.raw`(?:^|[\s(])(${PATH})$`, 'u');
const CONDITION_START = /(?:^|\(|\b(?:and|or|not))$/iu;
const OPERATOR_WORDS = /^(?:and|or|not|in|contains|matches|exists|missing)$/iu;

function pathOf(text: string): ColumnPath | null {
  const parsed = parseColumnId(text);
  return parsed.ok ? parsed.path : null;
}

/** The completion context at `caret` (0..text.length) of a filter text. */
export function completionContext(text: string, caret: number): CompletionContext {
  const at = Math.max(0, Math.min(caret, text.length));
  let from = at;
  while (from > 0 && WORD.test(text[from - 1] as string)) from--;
  let to = at;
  while (to < text.length && WORD.test(text[to] as string)) to++;
  const prefix = text.slice(from, at);
  const before = text.slice(0, from).trimEnd();

  const value = VALUE_AFTER.exec(before);
  if (value !== null) {
    const path = pathOf(value[1] as string);
    if (path !== null) return { kind: 'value', prefix: unquote(prefix), from, to, path };
  }
  if (CONDITION_START.test(before)) return { kind: 'column', prefix, from, to };
  const last = PATH_AT_END.exec(before);
  if (last !== null && from > before.length && !OPERATOR_WORDS.test(last[1] as string)) {
    // A column followed by a space: its operator comes next, unless the column is itself the
    // end of a value (`status = COMPLETED `), then "and"/"or" does.
    const ahead = before.slice(0, before.length - (last[1] as string).length).trimEnd();
    const isValue = VALUE_AFTER.test(ahead) || /(?:exists|missing)$/iu.test(ahead);
    if (!isValue) {
      const path = pathOf(last[1] as string);
      if (path !== null) return { kind: 'operator', prefix, from, to, path };
    }
  }
  return { kind: 'connector', prefix, from, to };
}

function unquote(prefix: string): string {
  return prefix.replace(/^["']/u, '');
}

/** The text with `insert` in place of the context's span, and where the caret goes then. */
export function applyCompletion(
  text: string,
  context: { from: number; to: number },
  insert: string,
): { text: string; caret: number } {
  const after = text.slice(context.to);
  const spaced = after.startsWith(' ') || insert.endsWith('(') ? insert : `${insert} `;
  return {
    text: text.slice(0, context.from) + spaced + after,
    caret: context.from + spaced.length,
  };
}
