import { EJSON } from 'bson';
import type { Db, Document, ObjectId } from 'mongodb';
import { createHash } from 'node:crypto';
import type { SyncSummary } from '../../../shared/contract';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { SyncProgress } from '../../../shared/events';
import type { CacheStore } from '../cache/cache-store';
import type { SourceRow } from '../cache/cache-rows';
import type { ParsedRun } from '../folder/parsed-run';
import { LEGACY_BUCKET, SACRED_BUCKET, lookupGridFsByFilename, lookupGridFsFiles } from './gridfs';
import type { GridFsFile } from './gridfs';
import type { MongoConnections } from './mongo-connections';
import { fetchRunMetrics, metricsTarget } from './mongo-metrics';
import type { KnownPointsLookup, MetricsTarget, RunMetrics } from './mongo-metrics';
import {
  gridFsIdsOf,
  idMatchKey,
  isLegacy06,
  legacySourceNamesOf,
  metricRefsOf,
  readMongoRun,
  runIdString,
} from './read-mongo-run';

export interface SyncMongoOptions {
  store: CacheStore;
  source: string;
  connections: MongoConnections;
  onProgress?: (progress: SyncProgress) => void;
  /** Checked between runs; when it returns true the sync stops with what it has written. */
  shouldStop?: () => boolean;
  /** Runs inside each run's transaction after its rows are written (fault injection). */
  beforeCommitRun?: (runId: string) => void;
  /** Told after every attempt to use the server: the source's `online` flag. */
  onReachability?: (online: boolean) => void;
  now?: () => number;
  /** Full run documents per `$in` query (default 16: documents can reach 16 MiB). */
  fetchBatch?: number;
}

/** The only fields listing reads: enough to see what changed, never captured_out or config. */
export const LISTING_PROJECTION = {
  _id: 1,
  status: 1,
  heartbeat: 1,
  stop_time: 1,
  start_time: 1,
  omniboard: 1,
} as const;

/**
 * A RUNNING run whose last sign of life is this recent is read again even when its listing
 * fields did not change: an artifact or output may have arrived between two beats.
 */
export const LIVE_WINDOW_MS = 10 * 60_000;
/** Bumped when the reader learns something new, so that every run is read again. */
const FINGERPRINT_VERSION = 'mongo1';
const DEFAULT_FETCH_BATCH = 16;
/** Driver settings used for every read: Int64 arrives as bigint, never rounded. */
export const READ_OPTIONS = { useBigInt64: true } as const;

/** A run document: Sacred ids are ints, strings or ObjectIds. */
export type SacredId = number | bigint | string | ObjectId;
export interface AnyIdDocument extends Document {
  _id: SacredId;
}

/** Error codes that mean the server cannot be used right now. */
const OFFLINE_CODES = new Set(['CONNECTION_FAILED', 'TIMEOUT', 'AUTH_FAILED', 'PASSWORD_REQUIRED']);

export interface ListedRun {
  id: unknown;
  /** The run id in the cache (see assignRunKeys). */
  key: string;
  fingerprint: string;
  status: unknown;
  lastSignMs: number | null;
}

export function runsCollectionName(prefix: string | null): string {
  return prefix === null ? 'runs' : `${prefix}_runs`;
}

/** Where a source's runs, metrics and Sacred 0.6 files live in its database. */
export interface SourceCollections {
  /** `<prefix>_runs` (0.8.2+), `<prefix>.runs` (0.6), `runs`; null when none exists. */
  runs: string | null;
  metrics: MetricsTarget;
  /** Sacred 0.6 named its GridFS bucket after the collection: `default` by default. */
  legacyBucket: string;
}

export async function resolveCollections(
  db: Db,
  prefix: string | null,
): Promise<SourceCollections> {
  const runsCandidates = prefix === null ? ['runs'] : [`${prefix}_runs`, `${prefix}.runs`];
  const metricsCandidates = prefix === null ? ['metrics'] : [`${prefix}_metrics`, 'metrics'];
  const existing = await existingCollections(db, [...runsCandidates, ...metricsCandidates]);
  return {
    runs: runsCandidates.find((name) => existing.has(name)) ?? null,
    metrics: metricsTarget(prefix, existing),
    legacyBucket: prefix ?? LEGACY_BUCKET,
  };
}

/** The mongo part of a source row, or an error saying what is missing. */
export function mongoTarget(row: SourceRow): {
  profileId: string;
  database: string;
  prefix: string | null;
} {
  if (row.kind !== 'mongo' || row.profile_id === null || row.database === null) {
    throw new AltarError('INVALID_ARGUMENT', `Source "${row.name}" is not a MongoDB source.`);
  }
  return { profileId: row.profile_id, database: row.database, prefix: row.prefix };
}

/** Which of the given collections exist (the `read` role may list collections). */
export async function existingCollections(db: Db, names: readonly string[]): Promise<Set<string>> {
  const found = await db
    .listCollections({ name: { $in: [...names] } }, { nameOnly: true, authorizedCollections: true })
    .toArray();
  return new Set(found.map((info) => info.name));
}

/**
 * Cache ids from `_id`s: ints and strings as written, ObjectIds as hex. A string that reads
 * like another run's id (`"42"` beside int 42) keeps its quotes, so both runs stay apart.
 */
export function assignRunKeys(ids: readonly unknown[]): string[] {
  const plain = ids.map(runIdString);
  const seen = new Map<string, number>();
  for (const key of plain) seen.set(key, (seen.get(key) ?? 0) + 1);
  const keys = plain.map((key, index) =>
    (seen.get(key) ?? 0) > 1 && typeof ids[index] === 'string' ? JSON.stringify(key) : key,
  );
  const used = new Set<string>();
  return keys.map((key) => {
    let unique = key;
    for (let n = 2; used.has(unique); n++) unique = `${key}#${n}`;
    used.add(unique);
    return unique;
  });
}

function fingerprintOf(doc: Document): string {
  const fields: Document = {};
  for (const field of Object.keys(LISTING_PROJECTION)) {
    if (field !== '_id' && field in doc) fields[field] = doc[field] as unknown;
  }
  const text = EJSON.stringify(fields, { relaxed: false });
  return `${FINGERPRINT_VERSION}:${createHash('sha1').update(text).digest('hex')}`;
}

function timeMs(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  return null;
}

/** Every run of the collection with only the listing fields. */
export async function listRunsCollection(db: Db, collection: string): Promise<ListedRun[]> {
  const docs = await db
    .collection(collection)
    .find({}, { projection: LISTING_PROJECTION, batchSize: 5000, ...READ_OPTIONS })
    .toArray();
  const keys = assignRunKeys(docs.map((doc) => doc._id as unknown));
  return docs.map((doc, index) => ({
    id: doc._id as unknown,
    key: keys[index] as string,
    fingerprint: fingerprintOf(doc),
    status: doc.status as unknown,
    lastSignMs: timeMs(doc.heartbeat) ?? timeMs(doc.start_time),
  }));
}

function isLive(run: ListedRun, nowMs: number): boolean {
  return (
    run.status === 'RUNNING' && run.lastSignMs !== null && nowMs - run.lastSignMs <= LIVE_WINDOW_MS
  );
}

/**
 * Brings the cache of one MongoDB source up to date. Listing reads only `_id` and the fields
 * that change with every beat; full documents (and their metrics and GridFS entries) are
 * fetched in batches only for new runs, changed runs and live RUNNING runs. Each run is
 * written in its own transaction, so a connection lost mid-sync keeps every run written so
 * far whole, and the next sync continues from there.
 */
export async function syncMongoSource(options: SyncMongoOptions): Promise<SyncSummary> {
  const { store, source: name, connections } = options;
  const source = store.getSource(name);
  if (source === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
  const target = mongoTarget(source);
  if (!store.tryBeginSync(name)) {
    throw new AltarError('SYNC_IN_PROGRESS', `Source "${name}" is already being synced.`);
  }
  const started = performance.now();
  const nowMs = (options.now ?? Date.now)();
  const report = (progress: Omit<SyncProgress, 'source'>): void => {
    options.onProgress?.({ source: name, ...progress });
  };
  try {
    report({ phase: 'scanning', done: 0, total: 0, runId: null, message: null });
    const client = await connections.client(target.profileId);
    const db = client.db(target.database);
    const collections = await resolveCollections(db, target.prefix);
    options.onReachability?.(true);
    const runsName = collections.runs;
    if (runsName === null) {
      throw new AltarError(
        'NOT_FOUND',
        `Database ${target.database} has no runs collection ${runsCollectionName(target.prefix)} any more; the cached runs are kept.`,
      );
    }
    const listed = await listRunsCollection(db, runsName);
    const cached = store.runFingerprints(name);
    const present = new Set(listed.map((run) => run.key));

    let removed = 0;
    for (const runId of cached.keys()) {
      if (!present.has(runId) && store.deleteRun(name, runId)) removed++;
    }
    const wanted = listed.filter(
      (run) => cached.get(run.key) !== run.fingerprint || isLive(run, nowMs),
    );

    const counts = { added: 0, updated: 0, unreadable: 0, points: 0, done: 0 };
    const batchSize = Math.max(1, options.fetchBatch ?? DEFAULT_FETCH_BATCH);
    for (let start = 0; start < wanted.length; start += batchSize) {
      if (options.shouldStop?.() === true) break;
      const batch = wanted.slice(start, start + batchSize);
      const known = (key: string, metric: string) =>
        cached.has(key) ? store.getMetricPoints(name, key, metric) : null;
      const runs = await readBatch(db, runsName, collections, batch, known);
      for (const entry of batch) {
        if (options.shouldStop?.() === true) break;
        report({
          phase: 'reading',
          done: counts.done,
          total: wanted.length,
          runId: entry.key,
          message: null,
        });
        const run = runs.get(entry.key);
        // Gone between listing and reading: the next sync's listing removes it.
        if (run !== undefined) {
          const written = store.writeRun(
            name,
            { id: entry.key, dir: null, fingerprint: entry.fingerprint },
            run,
            () => options.beforeCommitRun?.(entry.key),
          );
          if (written.replaced) counts.updated++;
          else counts.added++;
          if (run.unreadable !== null) counts.unreadable++;
          counts.points += written.points;
        }
        counts.done++;
      }
    }
    if (options.shouldStop?.() === true) {
      throw new AltarError('INTERNAL', `The sync of "${name}" was stopped before it finished.`);
    }

    store.recordSyncSuccess(name, new Date((options.now ?? Date.now)()).toISOString());
    const summary: SyncSummary = {
      source: name,
      added: counts.added,
      updated: counts.updated,
      removed,
      unchanged: listed.length - wanted.length,
      unreadable: counts.unreadable,
      points: counts.points,
      seconds: (performance.now() - started) / 1000,
    };
    report({
      phase: 'done',
      done: wanted.length,
      total: wanted.length,
      runId: null,
      message: null,
    });
    return summary;
  } catch (error) {
    const failure = asSyncError(error, name, target.profileId, connections);
    if (OFFLINE_CODES.has(failure.code)) options.onReachability?.(false);
    if (!store.isClosed) store.recordSyncError(name, failure.message);
    report({ phase: 'failed', done: 0, total: 0, runId: null, message: failure.message });
    throw failure;
  } finally {
    store.endSync(name);
  }
}

/**
 * Full documents of a batch, with their metrics and GridFS entries: one `$in` query each
 * for the runs, the metrics documents, and the files (per bucket).
 */
async function readBatch(
  db: Db,
  runsName: string,
  collections: SourceCollections,
  batch: readonly ListedRun[],
  known: KnownPointsLookup,
): Promise<Map<string, ParsedRun>> {
  const docs = await db
    .collection<AnyIdDocument>(runsName)
    .find({ _id: { $in: batch.map((run) => run.id as SacredId) } }, READ_OPTIONS)
    .toArray();
  const byId = new Map<string, Document>();
  for (const doc of docs) byId.set(idMatchKey(doc._id), doc);

  const modernIds: string[] = [];
  const legacyIds: string[] = [];
  const legacyNames: string[] = [];
  const requests = [];
  for (const entry of batch) {
    const doc = byId.get(idMatchKey(entry.id));
    if (doc === undefined) continue;
    const legacy = isLegacy06(doc);
    (legacy ? legacyIds : modernIds).push(...gridFsIdsOf(doc));
    if (legacy) legacyNames.push(...legacySourceNamesOf(doc));
    requests.push({ key: entry.key, runId: doc._id as unknown, refs: metricRefsOf(doc) });
  }
  const [runMetrics, modernFiles, legacyFiles, legacySources] = await Promise.all([
    fetchRunMetrics(db, collections.metrics, requests, known),
    lookupGridFsFiles(db, SACRED_BUCKET, modernIds),
    legacyIds.length === 0
      ? Promise.resolve(new Map<string, GridFsFile>())
      : lookupGridFsFiles(db, collections.legacyBucket, legacyIds),
    legacyNames.length === 0
      ? Promise.resolve(new Map<string, GridFsFile[]>())
      : lookupGridFsByFilename(db, collections.legacyBucket, legacyNames),
  ]);
  const files = new Map([...modernFiles, ...legacyFiles]);

  const out = new Map<string, ParsedRun>();
  for (const entry of batch) {
    const doc = byId.get(idMatchKey(entry.id));
    if (doc === undefined) continue;
    const found: RunMetrics | undefined = runMetrics.get(entry.key);
    const run = readMongoRun(doc, {
      key: entry.key,
      files,
      legacySources,
      legacyBucket: collections.legacyBucket,
      metrics: found?.metrics ?? [],
    });
    run.warnings.push(...(found?.warnings ?? []));
    out.set(entry.key, run);
  }
  return out;
}

function asSyncError(
  error: unknown,
  source: string,
  profileId: string,
  connections: MongoConnections,
): AltarError {
  if (isAltarError(error)) return error;
  const classified = connections.classifyError(error, profileId);
  const code = isAltarError(classified) ? classified.code : 'SOURCE_UNAVAILABLE';
  return new AltarError(code, `The sync of "${source}" stopped: ${classified.message}`);
}
