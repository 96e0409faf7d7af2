import type { Db, Document, MongoClient } from 'mongodb';
import { isMongoDriverError } from './mongo-driver';
import type { DatabaseInfo, DatabaseList } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import { authSourceOf, defaultDatabaseOf } from './connection-uri';

/** Databases of the server itself, never a place for Sacred runs. */
export const HIDDEN_DATABASES: ReadonlySet<string> = new Set(['admin', 'config', 'local']);

const RUNS_COLLECTION = /^(?:(.+)_)?runs$/u;
/** Sacred 0.6 wrote to `default.runs` (GridFS bucket `default`). */
const LEGACY_RUNS_COLLECTION = 'default.runs';
/** Databases are looked into a few at a time: enough to hide latency, not to flood a server. */
const PARALLEL_DATABASES = 4;

export interface DiscoverOptions {
  signal?: AbortSignal;
}

/**
 * The server's databases, each with the Sacred runs collections found in it. A user who may
 * not list databases gets the URI's database and authSource (complete: false) and can type
 * another name in the UI.
 */
export async function discoverDatabases(
  client: MongoClient,
  uri: string,
  options: DiscoverOptions = {},
): Promise<DatabaseList> {
  let names: Array<{ name: string; sizeOnDisk: number | null }>;
  let complete = true;
  try {
    const listed = await client
      .db('admin')
      .admin()
      .listDatabases({ nameOnly: true, authorizedDatabases: true });
    names = listed.databases.map((db) => ({
      name: db.name,
      sizeOnDisk: typeof db.sizeOnDisk === 'number' ? db.sizeOnDisk : null,
    }));
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
    complete = false;
    const fromUri = [defaultDatabaseOf(uri), authSourceOf(uri)].filter(
      (name): name is string => name !== null,
    );
    names = [...new Set(fromUri)].map((name) => ({ name, sizeOnDisk: null }));
  }
  const visible = names
    .filter((db) => !HIDDEN_DATABASES.has(db.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  const databases: DatabaseInfo[] = new Array<DatabaseInfo>(visible.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < visible.length) {
      const index = next++;
      const db = visible[index];
      if (db === undefined) continue;
      throwIfAborted(options.signal);
      databases[index] = { ...db, sacred: await sacredCollections(client.db(db.name)) };
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL_DATABASES, visible.length) }, () => worker()),
  );
  throwIfAborted(options.signal);
  return { databases, complete };
}

/** The runs collections of a database whose documents look like Sacred runs, with counts. */
export async function sacredCollections(db: Db): Promise<DatabaseInfo['sacred']> {
  let collections: Array<{ name: string; type?: string }>;
  try {
    collections = await db
      .listCollections({}, { nameOnly: true, authorizedCollections: true })
      .toArray();
  } catch (error) {
    // A database named in the URI but not readable by this user: nothing to show in it.
    if (isUnauthorized(error)) return [];
    throw error;
  }
  const found: DatabaseInfo['sacred'] = [];
  const candidates = collections
    .filter((info) => info.type === undefined || info.type === 'collection' || info.type === 'view')
    .map((info) => info.name)
    .filter((name) => name === LEGACY_RUNS_COLLECTION || RUNS_COLLECTION.test(name))
    .sort();
  for (const name of candidates) {
    const collection = db.collection(name);
    let sample: Document | null;
    try {
      sample = await collection.findOne(
        {},
        { projection: { status: 1, experiment: 1, command: 1, format: 1 } },
      );
    } catch (error) {
      if (isUnauthorized(error)) continue;
      throw error;
    }
    if (!looksLikeSacredRun(sample)) continue;
    found.push({
      prefix: prefixOf(name),
      runsCollection: name,
      runCount: await countRuns(db, name),
    });
  }
  return found;
}

/** A Sacred run document has a status and at least one of experiment / command / format. */
export function looksLikeSacredRun(document: Document | null): boolean {
  if (document === null || typeof document.status !== 'string') return false;
  return (
    (typeof document.experiment === 'object' && document.experiment !== null) ||
    typeof document.command === 'string' ||
    typeof document.format === 'string'
  );
}

/**
 * null for `runs`, `P` for `P_runs`, and `default` for Sacred 0.6's `default.runs`
 * (runsCollection tells the two spellings apart).
 */
function prefixOf(collection: string): string | null {
  if (collection === LEGACY_RUNS_COLLECTION) return 'default';
  return RUNS_COLLECTION.exec(collection)?.[1] ?? null;
}

async function countRuns(db: Db, name: string): Promise<number> {
  const collection = db.collection(name);
  try {
    return await collection.estimatedDocumentCount();
  } catch {
    // Views and some proxies cannot answer the metadata count; counting is slower but works.
    return collection.countDocuments({});
  }
}

function isUnauthorized(error: unknown): boolean {
  return (
    isMongoDriverError(error, 'MongoServerError') &&
    (error.code === 13 || error.codeName === 'Unauthorized')
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new AltarError('CANCELLED', 'Listing the databases was cancelled.');
  }
}
