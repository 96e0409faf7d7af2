// The test server's use of its _id index for reads and writes.
import type { Document } from 'bson';
import { compareBson } from './bson-order';
import type { StoredCollection } from './in-memory-store';

/**
 * Like mongod's _id index: a filter that pins `_id` to values (`{_id: v}` or `{_id: {$in:
 * [...]}}`) only looks at those documents, in _id order, instead of scanning the collection.
 * The whole filter still decides; this only narrows what it is tried on. Null: scan.
 */
export function candidatesById(
  collection: StoredCollection | undefined,
  filter: Document | undefined,
): Document[] | null {
  const pinned: unknown = filter?._id;
  if (pinned === undefined) return null;
  let ids: unknown[];
  if (isOperatorObject(pinned)) {
    const operators = Object.keys(pinned as Document);
    const list: unknown = (pinned as Document).$in;
    if (operators.length !== 1 || !Array.isArray(list)) return null;
    ids = list;
  } else {
    ids = [pinned];
  }
  if (ids.some((id) => id instanceof RegExp || isOperatorObject(id) || Array.isArray(id))) {
    return null;
  }
  if (collection === undefined) return [];
  const found = new Set<Document>();
  for (const id of ids) {
    const doc = collection.findById(id);
    if (doc !== undefined) found.add(doc);
  }
  return [...found].sort((a, b) => compareBson(a._id, b._id));
}

function isOperatorObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !('_bsontype' in value) &&
    !(value instanceof Date) &&
    Object.keys(value).some((key) => key.startsWith('$'))
  );
}
