import { bsonLibrary } from './bson-library';
import type { Db, Document, ObjectId } from 'mongodb';
import { createHash } from 'node:crypto';
import type { SyncSummary } from '../../../shared/contract';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { SyncProgress } from '../../../shared/events';
import type { CacheStore } from '../cache/cache-store';
import type { SourceRow } from '../cache/cache-rows';
import { LiveRunStore } from '../cache/live-run-store';
import type { ParsedRun } from '../folder/parsed-run';
import { syncOmniboardColumns } from '../query/omniboard-columns';
import { SyncMeter } from '../sync/sync-meter';
import { stoppedError } from '../sync/sync-stop';
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
  /** Checked with shouldStop: the user cancelled, so the error (and lastError) says so. */
  isCancelled?: () => boolean;
  /** Runs inside each run's transaction after its rows are written (fault injection). */
  beforeCommitRun?: (runId: string) => void;
  /** Told after every attempt to use the server: the source's `online` flag. */
  onReachability?: (online: boolean, reason?: string) => void;
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
/** Batches being read while one is written. */
const READ_AHEAD = 2;
const YIELD_EVERY_RUNS = 4;
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

/** The listing fingerprint of a run document (whole or projected to the listing fields). */
export function fingerprintOf(doc: Document): string {
  const fields: Document = {};
  for (const field of Object.keys(LISTING_PROJECTION)) {
    if (field !== '_id' && field in doc) fields[field] = doc[field] as unknown;
  }
  const text = bsonLibrary().EJSON.stringify(fields, { relaxed: false });
  return `${FINGERPRINT_VERSION}:${createHash('sha1').update(text).digest('hex')}`;
}

function timeMs(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  return null;
}

/** Every run of the collection with only the listing fields. */
export async function listRunsCollection(
  db: Db,
  collection: string,
  meter?: { bytes: number },
): Promise<ListedRun[]> {
  const docs = await db
    .collection(collection)
    .find({}, { projection: LISTING_PROJECTION, batchSize: 5000, ...READ_OPTIONS })
    .toArray();
  if (meter !== undefined)
    for (const doc of docs) meter.bytes += bsonLibrary().calculateObjectSize(doc);
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
  const meter = new SyncMeter(name, options.onProgress);
  const stopping = (): boolean =>
    options.shouldStop?.() === true || options.isCancelled?.() === true;
  try {
    meter.scanning();
    const client = await connections.client(target.profileId);
    const db = client.db(target.database);
    const collections = await resolveCollections(db, target.prefix);
    options.onReachability?.(true);
    const cached = store.runFingerprints(name);
    // A source added for a new database (`allowEmpty`) has no runs collection until its first
    // run or restore; with nothing cached there is nothing to keep, so that is zero runs.
    const runsName = collections.runs ?? (cached.size === 0 ? '' : null);
    if (runsName === null) {
      throw new AltarError(
        'NOT_FOUND',
        `Database ${target.database} has no runs collection ${runsCollectionName(target.prefix)} any more; the cached runs are kept.`,
      );
    }
    const listed = runsName === '' ? [] : await listRunsCollection(db, runsName, meter);
    const present = new Set(listed.map((run) => run.key));

    let removed = 0;
    for (const runId of cached.keys()) {
      if (!present.has(runId) && store.deleteRun(name, runId)) removed++;
    }
    const wanted = listed.filter(
      (run) => cached.get(run.key) !== run.fingerprint || isLive(run, nowMs),
    );

    const counts = { added: 0, updated: 0, unreadable: 0 };
    const live = new LiveRunStore(store);
    meter.startReading(wanted.length);
    const batchSize = Math.max(1, options.fetchBatch ?? DEFAULT_FETCH_BATCH);
    const batches: ListedRun[][] = [];
    for (let start = 0; start < wanted.length; start += batchSize) {
      batches.push(wanted.slice(start, start + batchSize));
    }
    const known = (key: string, metric: string) =>
      cached.has(key) ? store.getMetricPoints(name, key, metric) : null;
    const read = (batch: ListedRun[]) => {
      const reading = readBatch(db, runsName, collections, batch, known, meter);
      // Awaited below; until then a failure must not count as unhandled.
      reading.catch(() => undefined);
      return reading;
    };
    // The next batches are read while this one is written: the server (or the network) and
    // SQLite work at the same time instead of taking turns. Reading a batch takes two round
    // trips (the runs, then their metrics), so two are kept in flight.
    const ahead: Promise<Map<string, ParsedRun>>[] = [];
    let queued = 0;
    const fill = (): void => {
      while (ahead.length < READ_AHEAD && queued < batches.length && !stopping()) {
        ahead.push(read(batches[queued++] as ListedRun[]));
      }
    };
    fill();
    let sinceYield = 0;
    for (let index = 0; index < batches.length && ahead.length > 0; index++) {
      const batch = batches[index] as ListedRun[];
      const runs = await (ahead.shift() as Promise<Map<string, ParsedRun>>);
      fill();
      for (const entry of batch) {
        if (stopping()) break;
        // Writes block the event loop; a pause now and then lets the reads ahead move on.
        if (++sinceYield >= YIELD_EVERY_RUNS) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
          if (stopping()) break;
        }
        meter.reading(entry.key);
        const run = runs.get(entry.key);
        // Gone between listing and reading: the next sync's listing removes it.
        if (run !== undefined) {
          const runEntry = { id: entry.key, dir: null, fingerprint: entry.fingerprint };
          const beforeCommit = () => options.beforeCommitRun?.(entry.key);
          // A run already cached gets only what changed: new points are appended to its
          // chunks instead of every point being written again.
          const updated = cached.has(entry.key)
            ? live.updateRun(name, runEntry, run, beforeCommit)
            : null;
          const written =
            updated !== null && updated.found
              ? { replaced: true, points: updated.points }
              : store.writeRun(name, runEntry, run, beforeCommit);
          if (written.replaced) counts.updated++;
          else counts.added++;
          if (run.unreadable !== null) counts.unreadable++;
          meter.points += written.points;
        }
        meter.done++;
      }
      if (stopping()) {
        // Nothing is written from the batches read ahead; their reads may finish in peace.
        await Promise.allSettled(ahead);
        break;
      }
    }
    if (stopping()) throw stoppedError(name, options.isCancelled?.() === true);
    await syncOmniboardColumns(db, store.database, name);

    store.recordSyncSuccess(name, new Date((options.now ?? Date.now)()).toISOString());
    const summary: SyncSummary = {
      source: name,
      added: counts.added,
      updated: counts.updated,
      removed,
      unchanged: listed.length - wanted.length,
      unreadable: counts.unreadable,
      points: meter.points,
      bytes: meter.bytes,
      seconds: (performance.now() - started) / 1000,
    };
    meter.finished();
    return summary;
  } catch (error) {
    // Closing the core closes the connections under a sync still reading: that is a stop, as
    // between two runs, not a server that went away.
    const failure = stopping()
      ? stoppedError(name, options.isCancelled?.() === true)
      : asSyncError(error, name, target.profileId, connections);
    if (OFFLINE_CODES.has(failure.code)) options.onReachability?.(false, failure.message);
    if (!store.isClosed) store.recordSyncError(name, failure.message);
    meter.failed(failure.message);
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
  meter?: { bytes: number },
): Promise<Map<string, ParsedRun>> {
  const docs = await db
    .collection<AnyIdDocument>(runsName)
    .find({ _id: { $in: batch.map((run) => run.id as SacredId) } }, READ_OPTIONS)
    .toArray();
  if (meter !== undefined)
    for (const doc of docs) meter.bytes += bsonLibrary().calculateObjectSize(doc);
  return parseRunDocuments(db, collections, batch, docs, known, meter);
}

/**
 * Run documents already read (whole, or rebuilt by the live refresh) to ParsedRuns, with
 * their metrics and GridFS entries fetched in one query each.
 */
export async function parseRunDocuments(
  db: Db,
  collections: SourceCollections,
  batch: readonly Pick<ListedRun, 'id' | 'key'>[],
  docs: readonly Document[],
  known: KnownPointsLookup,
  meter?: { bytes: number },
): Promise<Map<string, ParsedRun>> {
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
    fetchRunMetrics(db, collections.metrics, requests, known, meter),
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
