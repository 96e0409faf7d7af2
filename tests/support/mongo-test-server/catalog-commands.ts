// Databases, collections and indexes: listDatabases, listCollections,
// listIndexes, create, createIndexes, drop, dropDatabase, dropIndexes.
import { calculateObjectSize } from 'bson';
import type { Document } from 'bson';
import { collectionName, documentArray, optionalDocument } from './command-args';
import { CommandError } from './command-error';
import { matching } from './find-query';
import type { IndexSpec } from './in-memory-store';
import type { CommandContext, CommandHandler } from './server-state';
import { loggedInUser } from './server-state';
import { canListAllDatabases, canRead } from './test-users';

/** A fresh mongod always has these, so clients must cope with them. */
const SYSTEM_DATABASES = ['admin', 'config', 'local'];

function unauthorized(context: CommandContext, command: Document): CommandError {
  const [name] = Object.keys(command);
  return new CommandError(
    'Unauthorized',
    `not authorized on ${context.db} to execute command { ${name}: ${JSON.stringify(command[name!])} }`,
  );
}

export const listDatabases: CommandHandler = (command, context) => {
  if (context.db !== 'admin') {
    throw new CommandError(
      'Unauthorized',
      'listDatabases may only be run against the admin database.',
    );
  }
  const { store } = context.server;
  let names = [...new Set([...SYSTEM_DATABASES, ...store.databaseNames()])].sort();
  const user = loggedInUser(context);
  if (user && !canListAllDatabases(user)) {
    // Users without the listDatabases action see only their own databases when they ask for
    // that explicitly; otherwise they are refused (what the app's fallback must handle).
    if (command.authorizedDatabases !== true) throw unauthorized(context, command);
    names = names.filter((db) => canRead(user, db));
  }
  let databases = names.map((name) => {
    const bytes = store
      .collections(name)
      .reduce(
        (sum, collection) =>
          sum + collection.docs.reduce((inner, doc) => inner + calculateObjectSize(doc), 0),
        0,
      );
    return { name, sizeOnDisk: Math.max(bytes, 8192), empty: false };
  });
  databases = matching(databases, optionalDocument(command, 'filter')) as typeof databases;
  if (command.nameOnly === true) {
    return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
  }
  const totalSize = databases.reduce((sum, db) => sum + db.sizeOnDisk, 0);
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / (1024 * 1024)), ok: 1 };
};

export const listCollections: CommandHandler = (command, context) => {
  const infos = context.server.store.collections(context.db).map((collection) => ({
    name: collection.name,
    type: 'collection',
    options: collection.options,
    info: { readOnly: false },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  }));
  const filtered = matching(infos, optionalDocument(command, 'filter'));
  const docs =
    command.nameOnly === true ? filtered.map(({ name, type }) => ({ name, type })) : filtered;
  const cursor = optionalDocument(command, 'cursor') ?? {};
  return context.server.cursors.open(
    `${context.db}.$cmd.listCollections`,
    docs,
    typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined,
  );
};

function existing(context: CommandContext, name: string) {
  const collection = context.server.store.collection(context.db, name);
  if (!collection) {
    throw new CommandError('NamespaceNotFound', `ns does not exist: ${context.db}.${name}`);
  }
  return collection;
}

export const listIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'listIndexes');
  const collection = existing(context, name);
  return context.server.cursors.open(`${context.db}.${name}`, [...collection.indexes], undefined);
};

export const create: CommandHandler = (command, context) => {
  const name = collectionName(command, 'create');
  const { create: _name, $db: _db, lsid: _lsid, writeConcern: _wc, ...options } = command;
  context.server.store.createCollection(context.db, name, options);
  return { ok: 1 };
};

function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

export const createIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'createIndexes');
  const { store } = context.server;
  const createdCollectionAutomatically = store.collection(context.db, name) === undefined;
  const collection = store.collectionForWrite(context.db, name);
  const numIndexesBefore = collection.indexes.length;
  for (const spec of documentArray(command, 'indexes')) {
    const key = optionalDocument(spec, 'key');
    if (!key || Object.keys(key).length === 0) {
      throw new CommandError('BadValue', 'Index key pattern must be a non-empty object');
    }
    const index: IndexSpec = {
      ...spec,
      v: 2,
      key,
      name: typeof spec.name === 'string' ? spec.name : defaultIndexName(key),
    };
    collection.addIndex(index);
  }
  const reply: Document = {
    numIndexesBefore,
    numIndexesAfter: collection.indexes.length,
    createdCollectionAutomatically,
  };
  if (reply.numIndexesAfter === numIndexesBefore) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

export const drop: CommandHandler = (command, context) => {
  const name = collectionName(command, 'drop');
  const collection = context.server.store.collection(context.db, name);
  // Since MongoDB 7.0 dropping a collection that does not exist succeeds.
  if (!collection) return { ok: 1 };
  context.server.store.dropCollection(context.db, name);
  return { nIndexesWas: collection.indexes.length, ns: collection.namespace, ok: 1 };
};

export const dropDatabase: CommandHandler = (_command, context) => {
  context.server.store.dropDatabase(context.db);
  return { ok: 1 };
};

export const dropIndexes: CommandHandler = (command, context) => {
  const collection = existing(context, collectionName(command, 'dropIndexes'));
  const nIndexesWas = collection.indexes.length;
  const which: unknown = command.index;
  const names =
    which === '*'
      ? collection.indexes.slice(1).map((index) => index.name)
      : typeof which === 'string'
        ? [which]
        : collection.indexes
            .filter((index) => JSON.stringify(index.key) === JSON.stringify(which))
            .map((index) => index.name);
  for (const indexName of names) {
    if (!collection.dropIndex(indexName)) {
      throw new CommandError('IndexNotFound', `index not found with name [${indexName}]`);
    }
  }
  if (names.length === 0) throw new CommandError('IndexNotFound', "can't find index with key");
  return { nIndexesWas, ok: 1 };
};
