/**
 * How run ids compare, the same in the run table, the CLI and every export.
 *
 * Sacred's ids are integers (MongoObserver's auto-increment `_id`, FileStorageObserver's
 * numbered folders), but a run may carry a string id (`--id myrun7`, a string `_id`) and old
 * MongoDB runs an ObjectId. The cache keeps every id as the text a user sees and types, so the
 * kind of an id is read from that text:
 * - a whole number written without leading zeros (`0`, `7`, `1234`, up to 15 digits) is a
 *   number: it sorts and compares as one (2 < 10; `id > 10`, `id in (2, 10)`);
 * - 24 lowercase hexadecimal digits are a MongoDB ObjectId;
 * - anything else (`myrun7`, `007`) is text.
 * Numbers come first, then text ids (in code-unit order), then ObjectIds, as BSON orders
 * numbers, strings and ObjectIds. A quoted number (`id = "3"`) means the same as `id = 3`.
 * Comparisons follow this order, except that a number and a text never compare, as in any
 * column of the filter language: `id > 10` finds no text id and `id < "a"` no number id, but
 * `id > "myrun7"` finds every ObjectId (tests/unit/filter-run-id-ranges.test.ts).
 */
export type RunIdKind = 'number' | 'text' | 'objectId';

const NUMBER_ID = /^(?:0|[1-9][0-9]{0,14})$/u;
const OBJECT_ID = /^[0-9a-f]{24}$/u;

/** The number an id stands for, or null when it is not a number id. */
export function runIdNumber(id: string): number | null {
  return NUMBER_ID.test(id) ? Number(id) : null;
}

export function runIdKind(id: string): RunIdKind {
  if (NUMBER_ID.test(id)) return 'number';
  return OBJECT_ID.test(id) ? 'objectId' : 'text';
}

const KIND_RANK: Record<RunIdKind, number> = { number: 0, text: 1, objectId: 2 };

/** Negative when `a` sorts before `b` (numbers, then text, then ObjectIds). */
export function compareRunIds(a: string, b: string): number {
  const kindA = runIdKind(a);
  const kindB = runIdKind(b);
  if (kindA !== kindB) return KIND_RANK[kindA] - KIND_RANK[kindB];
  if (kindA === 'number') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
