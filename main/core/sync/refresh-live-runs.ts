import type { Db, Document } from 'mongodb';
import { isMongoDriverError } from '../mongo/mongo-driver';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { CacheStore } from '../cache/cache-store';
import { LiveRunStore } from '../cache/live-run-store';
import type { LiveRunRow } from '../cache/live-run-store';
import type { MongoConnections } from '../mongo/mongo-connections';
import { idFromOrigin, idMatchKey } from '../mongo/read-mongo-run';
import {
  LIVE_WINDOW_MS,
  READ_OPTIONS,
  fingerprintOf,
  mongoTarget,
  parseRunDocuments,
  resolveCollections,
} from '../mongo/sync-mongo-source';
import type { AnyIdDocument, SacredId } from '../mongo/sync-mongo-source';

export interface RefreshLiveOptions {
  store: CacheStore;
  source: string;
  connections: MongoConnections;
  now?: () => number;
  /** Told after every attempt to use the server: the source's `online` flag. */
  onReachability?: (online: boolean, reason?: string) => void;
  /** Runs inside each run's transaction (fault injection in tests). */
  beforeCommitRun?: (runId: string) => void;
}

export interface RefreshLiveResult {
  source: string;
  /** Running runs asked for. */
  checked: number;
  /** Runs whose cache changed. */
  changed: string[];
  /** Metric points written. */
  points: number;
  /** Output bytes read from the server (appended text, or whole outputs that changed). */
  outputBytes: number;
}

/** Bytes of the cached output read again from the server to check it is still the prefix. */
const OVERLAP_BYTES = 256;
/** Ops of a refresh are small: one that takes longer than this means the server is in trouble. */
const REFRESH_TIMEOUT_MS = 15_000;
const OUT_LENGTH = '__altar_out_bytes';
const OUT_TAIL = '__altar_out_tail';
const OUT_START = '__altar_out_start';

/** Where the appended output starts in the server's string, and the bytes that must precede it. */
interface OutputProbe {
  start: number;
  overlap: string;
}

/**
 * Refreshes the cached RUNNING runs of a MongoDB source that are alive (a sign of life in the
 * last minutes): one aggregation re-reads their documents without `captured_out`, plus only
 * the output appended since the cache's copy; metrics come through the tail logic of the
 * sync (only points past the cached count cross the network). Only what changed is written.
 */
export async function refreshLiveRuns(options: RefreshLiveOptions): Promise<RefreshLiveResult> {
  const { store, source: name, connections } = options;
  const nowMs = (options.now ?? Date.now)();
  const result: RefreshLiveResult = {
    source: name,
    checked: 0,
    changed: [],
    points: 0,
    outputBytes: 0,
  };
  const source = store.getSource(name);
  if (source === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
  // A sync re-reads live runs itself; writing beside it would only race it.
  if (store.isSyncing(name)) return result;
  const live = new LiveRunStore(store);
  const runs = live.runningRuns(name).filter((run) => isAlive(run, nowMs) && run.origin !== null);
  if (runs.length === 0) return result;
  result.checked = runs.length;

  const target = mongoTarget(source);
  let docs: Document[];
  let collections;
  const db = await (async () => {
    try {
      const client = await connections.client(target.profileId);
      return client.db(target.database);
    } catch (error) {
      throw unreachable(error, target.profileId, connections, options);
    }
  })();
  const probes = new Map<string, OutputProbe>();
  const texts = new Map<string, string>();
  try {
    collections = await resolveCollections(db, target.prefix);
    if (collections.runs === null) return result;
    for (const run of runs) {
      const text = live.outputText(name, run.run_id) ?? '';
      texts.set(run.run_id, text);
      probes.set(run.run_id, outputProbe(text, run.captured_out_bytes));
    }
    docs = await readWithOutputTails(db, collections.runs, runs, probes);
    options.onReachability?.(true);
  } catch (error) {
    throw unreachable(error, target.profileId, connections, options);
  }

  const byKey = new Map<string, { run: LiveRunRow; doc: Document }>();
  const whole: LiveRunRow[] = [];
  const keyOf = new Map(runs.map((run) => [idMatchKey(idFromOrigin(run.origin as string)), run]));
  for (const doc of docs) {
    const run = keyOf.get(idMatchKey(doc._id));
    if (run === undefined) continue;
    const probe = probes.get(run.run_id) as OutputProbe;
    const text = texts.get(run.run_id) ?? '';
    const serverBytes: unknown = doc[OUT_LENGTH];
    const tail: unknown = doc[OUT_TAIL];
    delete doc[OUT_LENGTH];
    delete doc[OUT_TAIL];
    delete doc[OUT_START];
    if (typeof tail === 'string' && tail.startsWith(probe.overlap)) {
      const appended = tail.slice(probe.overlap.length);
      result.outputBytes += Buffer.byteLength(appended, 'utf8');
      doc.captured_out = text + appended;
      doc[OUT_LENGTH] = typeof serverBytes === 'number' ? serverBytes : null;
    } else if (serverBytes === null || serverBytes === undefined) {
      // No output at all (yet): nothing to append, nothing to fetch.
    } else {
      whole.push(run);
    }
    byKey.set(run.run_id, { run, doc });
  }
  // Rewritten output (a progress bar redrawn with \r): read again whole, for those runs only.
  if (whole.length > 0) {
    try {
      const outputs = await db
        .collection<AnyIdDocument>(collections.runs)
        .find(
          { _id: { $in: whole.map((run) => idFromOrigin(run.origin as string) as SacredId) } },
          { projection: { captured_out: 1 }, timeoutMS: REFRESH_TIMEOUT_MS, ...READ_OPTIONS },
        )
        .toArray();
      for (const doc of outputs) {
        const run = keyOf.get(idMatchKey(doc._id));
        const entry = run === undefined ? undefined : byKey.get(run.run_id);
        if (entry === undefined) continue;
        entry.doc.captured_out = doc.captured_out as unknown;
        if (typeof doc.captured_out === 'string') {
          result.outputBytes += Buffer.byteLength(doc.captured_out, 'utf8');
        }
      }
    } catch (error) {
      throw unreachable(error, target.profileId, connections, options);
    }
  }

  const entries = [...byKey.values()];
  let parsed;
  try {
    parsed = await parseRunDocuments(
      db,
      collections,
      entries.map(({ run, doc }) => ({ id: doc._id as unknown, key: run.run_id })),
      entries.map(({ doc }) => doc),
      (key, metric) => store.getMetricPoints(name, key, metric),
    );
  } catch (error) {
    throw unreachable(error, target.profileId, connections, options);
  }
  for (const { run, doc } of entries) {
    const fresh = parsed.get(run.run_id);
    if (fresh === undefined || store.isClosed) continue;
    const serverBytes: unknown = doc[OUT_LENGTH];
    if (typeof serverBytes === 'number' && serverBytes > fresh.capturedOutput.totalBytes) {
      // The cache keeps a tail of long outputs; the server's length is the true total.
      fresh.capturedOutput.totalBytes = serverBytes;
      fresh.capturedOutput.truncated = true;
    }
    delete doc[OUT_LENGTH];
    const written = live.updateRun(
      name,
      { id: run.run_id, dir: null, fingerprint: fingerprintOf(doc) },
      fresh,
      () => options.beforeCommitRun?.(run.run_id),
    );
    if (written.changed) result.changed.push(run.run_id);
    result.points += written.points;
  }
  return result;
}

/** Alive: RUNNING (the caller checked) with a heartbeat or start in the live window. */
function isAlive(run: LiveRunRow, nowMs: number): boolean {
  const last = Date.parse(run.heartbeat ?? run.start_time ?? '');
  return Number.isFinite(last) && nowMs - last <= LIVE_WINDOW_MS;
}

/**
 * Where to start reading the server's output: a little before the end of the cached copy, on
 * a character boundary, so that the overlap proves the cached text is still the prefix.
 */
export function outputProbe(cachedText: string, totalBytes: number): OutputProbe {
  const bytes = Buffer.from(cachedText, 'utf8');
  let from = Math.max(0, bytes.length - OVERLAP_BYTES);
  // Skip UTF-8 continuation bytes: $substrBytes refuses to start inside a character.
  while (from < bytes.length && ((bytes[from] as number) & 0xc0) === 0x80) from++;
  const overlap = bytes.subarray(from).toString('utf8');
  return { start: totalBytes - (bytes.length - from), overlap };
}

/**
 * The documents without `captured_out` but with its length and the part from each probe's
 * start on. A server that refuses the expression (an old MongoDB, or a start that now falls
 * inside a character because the output was rewritten) gets a plain find of whole documents.
 */
async function readWithOutputTails(
  db: Db,
  runsName: string,
  runs: readonly LiveRunRow[],
  probes: ReadonlyMap<string, OutputProbe>,
): Promise<Document[]> {
  const ids = runs.map((run) => idFromOrigin(run.origin as string) as SacredId);
  try {
    return await aggregateOutputTails(db, runsName, runs, ids, probes);
  } catch (error) {
    if (!isMongoDriverError(error, 'MongoServerError')) throw error;
    return db
      .collection<AnyIdDocument>(runsName)
      .find({ _id: { $in: ids } }, { timeoutMS: REFRESH_TIMEOUT_MS, ...READ_OPTIONS })
      .toArray();
  }
}

function aggregateOutputTails(
  db: Db,
  runsName: string,
  runs: readonly LiveRunRow[],
  ids: readonly SacredId[],
  probes: ReadonlyMap<string, OutputProbe>,
): Promise<Document[]> {
  const start = {
    $switch: {
      branches: runs.map((run, index) => ({
        case: { $eq: ['$_id', ids[index]] },
        then: probes.get(run.run_id)?.start ?? 0,
      })),
      default: 0,
    },
  };
  const isText = { $eq: [{ $type: '$captured_out' }, 'string'] };
  return db
    .collection(runsName)
    .aggregate(
      [
        { $match: { _id: { $in: ids } } },
        {
          $addFields: {
            [OUT_START]: start,
            [OUT_LENGTH]: { $cond: [isText, { $strLenBytes: '$captured_out' }, null] },
          },
        },
        {
          $addFields: {
            [OUT_TAIL]: {
              $cond: [
                { $and: [isText, { $gte: [`$${OUT_LENGTH}`, `$${OUT_START}`] }] },
                {
                  $substrBytes: [
                    '$captured_out',
                    `$${OUT_START}`,
                    { $subtract: [`$${OUT_LENGTH}`, `$${OUT_START}`] },
                  ],
                },
                null,
              ],
            },
          },
        },
        { $project: { captured_out: 0 } },
      ],
      { timeoutMS: REFRESH_TIMEOUT_MS, ...READ_OPTIONS },
    )
    .toArray();
}

function unreachable(
  error: unknown,
  profileId: string,
  connections: MongoConnections,
  options: RefreshLiveOptions,
): AltarError {
  const classified = isAltarError(error) ? error : connections.classifyError(error, profileId);
  const code = isAltarError(classified) ? classified.code : 'SOURCE_UNAVAILABLE';
  const failure = new AltarError(
    code,
    `The live refresh of "${options.source}" stopped: ${classified.message}`,
  );
  if (['CONNECTION_FAILED', 'TIMEOUT', 'AUTH_FAILED', 'PASSWORD_REQUIRED'].includes(code)) {
    options.onReachability?.(false, failure.message);
  }
  return failure;
}
