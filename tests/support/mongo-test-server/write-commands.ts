// insert, update (operators, replacements, pipelines, upserts), delete and
// findAndModify, with mongod's reply shapes: n / nModified / upserted / writeErrors.
import type { Document } from 'bson';
import { collectionName, documentArray, optionalDocument } from './command-args';
import { CommandError } from './command-error';
import { isPlainObject } from './field-path';
import { matching, projected, sorted } from './find-query';
import { candidatesById } from './id-candidates';
import type { StoredCollection } from './in-memory-store';
import type { CommandHandler } from './server-state';
import { applyUpdate, checkUpdate, upsertSeed } from './update-apply';

interface WriteError {
  index: number;
  code: number;
  errmsg: string;
  [extra: string]: unknown;
}

function asWriteError(index: number, error: unknown): WriteError {
  if (error instanceof CommandError) {
    return { index, code: error.code, errmsg: error.message, ...error.extra };
  }
  throw error;
}

function finishWrite(reply: Document, writeErrors: WriteError[]): Document {
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

export const insert: CommandHandler = (command, context) => {
  const collection = context.server.store.collectionForWrite(
    context.db,
    collectionName(command, 'insert'),
  );
  const ordered = command.ordered !== false;
  const writeErrors: WriteError[] = [];
  let n = 0;
  documentArray(command, 'documents').forEach((doc, index) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      collection.insert(doc);
      n += 1;
    } catch (error) {
      writeErrors.push(asWriteError(index, error));
    }
  });
  return finishWrite({ n }, writeErrors);
};

function updateValue(statement: Document): Document | Document[] {
  const u: unknown = statement.u;
  if (Array.isArray(u) && u.every(isPlainObject)) return u;
  if (isPlainObject(u)) return u;
  throw new CommandError('FailedToParse', "BSON field 'update.updates.u' is the wrong type");
}

function isReplacement(update: Document | Document[]): boolean {
  return !Array.isArray(update) && !Object.keys(update).some((key) => key.startsWith('$'));
}

interface UpsertOutcome {
  doc: Document;
}

function upsertInto(
  collection: StoredCollection,
  query: Document,
  update: Document | Document[],
  arrayFilters: Document[] | undefined,
): UpsertOutcome {
  const seed = upsertSeed(query);
  const base = isReplacement(update) ? ('_id' in seed ? { _id: seed._id } : {}) : seed;
  const { doc } = applyUpdate(base, update, { arrayFilters, inserting: true });
  return { doc: collection.insert(doc) };
}

export const update: CommandHandler = (command, context) => {
  const collection = context.server.store.collectionForWrite(
    context.db,
    collectionName(command, 'update'),
  );
  const ordered = command.ordered !== false;
  const writeErrors: WriteError[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  documentArray(command, 'updates').forEach((statement, index) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      const query = optionalDocument(statement, 'q') ?? {};
      const change = updateValue(statement);
      checkUpdate(change);
      const arrayFilters = statement.arrayFilters as Document[] | undefined;
      if (statement.multi === true && isReplacement(change)) {
        throw new CommandError(
          'FailedToParse',
          'multi update is not supported for replacement-style update',
        );
      }
      const matched = matching(candidatesById(collection, query) ?? collection.docs, query);
      const targets = statement.multi === true ? matched : matched.slice(0, 1);
      for (const target of targets) {
        const outcome = applyUpdate(target, change, { query, arrayFilters, inserting: false });
        n += 1;
        if (outcome.modified) {
          collection.replace(target, outcome.doc);
          nModified += 1;
        }
      }
      if (targets.length === 0 && statement.upsert === true) {
        const { doc } = upsertInto(collection, query, change, arrayFilters);
        upserted.push({ index, _id: doc._id });
        n += 1;
      }
    } catch (error) {
      writeErrors.push(asWriteError(index, error));
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  return finishWrite(reply, writeErrors);
};

const deleteCommand: CommandHandler = (command, context) => {
  const collection = context.server.store.collection(context.db, collectionName(command, 'delete'));
  const ordered = command.ordered !== false;
  const writeErrors: WriteError[] = [];
  let n = 0;
  documentArray(command, 'deletes').forEach((statement, index) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      if (!collection) return;
      const matched = matching(collection.docs, optionalDocument(statement, 'q') ?? {});
      const targets = Number(statement.limit) === 1 ? matched.slice(0, 1) : matched;
      for (const target of targets) collection.remove(target);
      n += targets.length;
    } catch (error) {
      writeErrors.push(asWriteError(index, error));
    }
  });
  return finishWrite({ n }, writeErrors);
};
export { deleteCommand as delete };

export const findAndModify: CommandHandler = (command, context) => {
  const name = collectionName(command, 'findAndModify');
  const collection = context.server.store.collectionForWrite(context.db, name);
  const query = optionalDocument(command, 'query') ?? {};
  const fields = optionalDocument(command, 'fields');
  const shape = (doc: Document | null): Document | null =>
    doc ? (projected([doc], fields)[0] ?? null) : null;
  const [target] = sorted(matching(collection.docs, query), optionalDocument(command, 'sort'));
  if (command.remove === true) {
    if (target) collection.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: shape(target ?? null), ok: 1 };
  }
  if (command.update === undefined) {
    throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  }
  const change = updateValue({ u: command.update });
  checkUpdate(change);
  const arrayFilters = command.arrayFilters as Document[] | undefined;
  if (target) {
    const outcome = applyUpdate(target, change, { query, arrayFilters, inserting: false });
    if (outcome.modified) collection.replace(target, outcome.doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shape(command.new === true ? outcome.doc : target),
      ok: 1,
    };
  }
  if (command.upsert === true) {
    const { doc } = upsertInto(collection, query, change, arrayFilters);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: shape(command.new === true ? doc : null),
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};
