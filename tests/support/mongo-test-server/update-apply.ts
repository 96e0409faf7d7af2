// Applies one update statement to one document: operator updates ($set, $push
// with $each, ...) through mingo's updater, replacements, pipeline updates, and
// the document an upsert inserts.
import { Aggregator } from 'mingo';
import { update as mingoUpdate } from 'mingo/updater';
import type { Modifier } from 'mingo/updater';
import { ObjectId, deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { canonicalKey, compareBson } from './bson-order';
import { CommandError } from './command-error';
import { isPlainObject, setAt } from './field-path';

export interface UpdateOutcome {
  doc: Document;
  modified: boolean;
}

export function cloneDocument(doc: Document): Document {
  return deserialize(serialize(doc));
}

function idFirst(doc: Document): Document {
  if (!('_id' in doc)) return { _id: new ObjectId(), ...doc };
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function isOperatorUpdate(update: Document): boolean {
  const keys = Object.keys(update);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw new CommandError(
      'FailedToParse',
      `Unknown modifier: ${keys.find((key) => !key.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  return operators.length > 0;
}

function immutableId(): CommandError {
  return new CommandError(
    'ImmutableField',
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/** The equality fields of a query, which seed the document an upsert inserts. */
export function upsertSeed(query: Document): Document {
  const seed: Document = {};
  const collect = (q: Document): void => {
    for (const [key, value] of Object.entries(q)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) if (isPlainObject(part)) collect(part);
      } else if (key.startsWith('$')) {
        continue;
      } else if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
        if ('$eq' in value) setAt(seed, key, value.$eq);
      } else {
        setAt(seed, key, value);
      }
    }
  };
  collect(query);
  return seed;
}

export function applyUpdate(
  original: Document,
  update: Document | Document[],
  options: { query?: Document; arrayFilters?: Document[]; inserting: boolean },
): UpdateOutcome {
  let doc: Document;
  if (Array.isArray(update)) {
    try {
      const [result] = new Aggregator(update, {}).run([cloneDocument(original)]);
      doc = result ?? {};
    } catch (error) {
      throw new CommandError('BadValue', error instanceof Error ? error.message : String(error));
    }
  } else if (isOperatorUpdate(update)) {
    const { $setOnInsert, ...operators } = update;
    if (options.inserting && isPlainObject($setOnInsert)) {
      operators.$set = { ...(operators.$set as Document | undefined), ...$setOnInsert };
    }
    doc = cloneDocument(original);
    try {
      mingoUpdate(
        doc,
        operators as Modifier<Document>,
        options.arrayFilters,
        options.inserting ? undefined : options.query,
        { cloneMode: 'deep' },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.includes("immutable field '_id'")) throw immutableId();
      throw new CommandError('FailedToParse', message);
    }
  } else {
    if ('_id' in update && '_id' in original && compareBson(update._id, original._id) !== 0) {
      throw immutableId();
    }
    doc = { ...update };
    if ('_id' in original) doc._id = original._id;
  }
  if ('_id' in original && compareBson(doc._id, original._id) !== 0) throw immutableId();
  doc = idFirst(doc);
  return { doc, modified: canonicalKey(doc) !== canonicalKey(original) };
}
