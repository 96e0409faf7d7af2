import { Binary, Double, Int32, ObjectId } from 'bson';
import type { Document } from 'bson';
import type { ArtifactRow, RunDetailRow } from '../cache/cache-rows';
import type { CacheStore } from '../cache/cache-store';
import type { ArtifactStream } from '../core-service';
import { parseLocator } from '../mongo/gridfs';
import { idFromOrigin } from '../mongo/read-mongo-run';
import { GRIDFS_CHUNK_BYTES, stableObjectId } from './folder-doc-set';
import { runIdentity } from './id-remapping';
import type { DocCollection, SacredDocSet } from './sacred-doc-set';

export interface CacheReadOptions {
  store: CacheStore;
  source: string;
  runsCollection: string;
  metricsCollection: string;
  /** The cache's run ids to take; null takes every cached run of the source. */
  keys: readonly string[] | null;
  /** An artifact's content from the artifact cache (never the server), or null. */
  cachedArtifact: (row: ArtifactRow) => Promise<ArtifactStream | null>;
  /** Why the server was not used, for the first line of `omitted`. */
  reason: string;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function asDict(value: unknown): Document | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Document)
    : null;
}

function date(text: string | null): Date | null {
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** A number as pymongo would have stored it for Sacred: whole numbers as Int32, else Double. */
function number(value: number): Int32 | Double {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 31
    ? new Int32(value)
    : new Double(value);
}

async function bytesOf(stream: ArtifactStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream.open()) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/**
 * What the cache holds of a MongoDB source's runs, as run, metrics and GridFS documents: used
 * when the server cannot be reached. The cache keeps JSON, so BSON types are guessed (whole
 * numbers become Int32), the captured output may be only its tail, source files and artifacts
 * never viewed are missing; every such loss is listed in `omitted`.
 */
export async function readCacheDocSet(options: CacheReadOptions): Promise<SacredDocSet> {
  const { store, source } = options;
  const omitted = [
    `${options.reason}: written from the cache (numbers' BSON types guessed, NaN and Infinity in config, info and result written as text, Omniboard's collections left out)`,
  ];
  const keys = options.keys ?? store.listRuns(source, null, 0).rows.map((row) => row.run_id);
  const runs: Document[] = [];
  const metrics: Document[] = [];
  const files: Document[] = [];
  const chunks: Document[] = [];
  let sourcesMissing = 0;
  for (const key of keys) {
    const row = store.getRun(source, key);
    if (row === null || row.origin === null) {
      omitted.push(`run ${key} (the cache does not know its _id)`);
      continue;
    }
    const doc = runDocument(row);
    const captured = store.getCapturedOutput(source, key);
    if (captured !== null) {
      doc.captured_out = captured.text;
      if (captured.truncated) {
        omitted.push(
          `the start of run ${key}'s captured output (only its last ${Buffer.byteLength(captured.text)} bytes are cached)`,
        );
      }
    }
    const sources: unknown = asDict(doc.experiment)?.sources;
    if (Array.isArray(sources) && sources.length > 0) sourcesMissing += sources.length;

    const artifacts: Document[] = [];
    for (const artifact of store.artifactsOfRun(source, key)) {
      const locator = parseLocator(artifact.locator);
      if (locator === null) continue;
      const fileId = new ObjectId(locator.id);
      artifacts.push({ name: artifact.name, file_id: fileId });
      const stream = await options.cachedArtifact(artifact).catch(() => null);
      if (stream === null) {
        omitted.push(`artifact ${artifact.name} of run ${key} (never opened, so not cached)`);
        continue;
      }
      const bytes = await bytesOf(stream);
      files.push({
        _id: fileId,
        filename: `artifact://${options.runsCollection}/${key}/${artifact.name}`,
        length: number(bytes.length),
        chunkSize: new Int32(GRIDFS_CHUNK_BYTES),
        uploadDate: doc.start_time instanceof Date ? doc.start_time : new Date(0),
        contentType: artifact.content_type,
        metadata: null,
      });
      for (let n = 0; n * GRIDFS_CHUNK_BYTES < bytes.length; n++) {
        chunks.push({
          _id: stableObjectId(locator.id, 'chunk', String(n)),
          files_id: fileId,
          n: new Int32(n),
          data: new Binary(bytes.subarray(n * GRIDFS_CHUNK_BYTES, (n + 1) * GRIDFS_CHUNK_BYTES)),
        });
      }
    }
    doc.artifacts = artifacts;

    const refs = asDict(doc.info)?.metrics;
    const refIds = new Map<string, string>();
    if (Array.isArray(refs)) {
      for (const ref of refs) {
        const entry = asDict(ref);
        if (
          typeof entry?.name === 'string' &&
          typeof entry.id === 'string' &&
          /^[0-9a-f]{24}$/iu.test(entry.id)
        ) {
          refIds.set(entry.name, entry.id);
        }
      }
    }
    for (const metric of store.metricsOfRun(source, key)) {
      const points = store.getMetricPoints(source, key, metric.name);
      if (points === null) continue;
      const known = refIds.get(metric.name);
      metrics.push({
        _id:
          known === undefined
            ? stableObjectId(runIdentity(doc), 'metric', metric.name)
            : new ObjectId(known),
        run_id: doc._id,
        name: metric.name,
        steps: Array.from(points.steps, number),
        values: Array.from(points.values, (value) => new Double(value)),
        timestamps: Array.from(points.timestamps, (ms) => new Date(ms)),
      });
    }
    runs.push(doc);
  }
  if (sourcesMissing > 0) {
    omitted.push(`${sourcesMissing} source files (read from the server when shown, never cached)`);
  }
  const collection = (
    name: string,
    role: DocCollection['role'],
    docs: Document[],
  ): DocCollection => ({
    name,
    role,
    indexes: null,
    uuid: null,
    docs: async function* () {
      yield* docs;
    },
  });
  return {
    database: '',
    omitted,
    collections: [
      collection(options.runsCollection, 'runs', runs),
      collection(options.metricsCollection, 'metrics', metrics),
      collection('fs.files', 'files', files),
      collection('fs.chunks', 'chunks', chunks),
    ],
  };
}

/** The run document back from the cache's columns (SACRED_FORMAT.md §1's fields). */
function runDocument(row: RunDetailRow): Document {
  const doc: Document = { _id: idFromOrigin(row.origin ?? 'null') };
  const experiment = asDict(parseJson(row.experiment_info)) ?? {};
  const sources: unknown = experiment.sources;
  if (Array.isArray(sources)) {
    // The cache keeps ObjectIds as hex.
    experiment.sources = sources.map((entry: unknown) =>
      Array.isArray(entry) && typeof entry[1] === 'string' && /^[0-9a-f]{24}$/iu.test(entry[1])
        ? [entry[0], new ObjectId(entry[1])]
        : entry,
    );
  }
  if (row.status !== 'QUEUED') doc.format = 'MongoObserver-0.7.0';
  doc.status = row.status;
  if (row.command !== null) doc.command = row.command;
  doc.experiment = experiment;
  doc.host = asDict(parseJson(row.host_info)) ?? {};
  const start = date(row.start_time);
  if (start !== null) doc.start_time = start;
  doc.config = parseJson(row.config) ?? {};
  const meta = asDict(parseJson(row.meta)) ?? {};
  if (typeof meta.queue_time === 'string')
    meta.queue_time = date(meta.queue_time) ?? meta.queue_time;
  doc.meta = meta;
  doc.info = parseJson(row.info) ?? {};
  const heartbeat = date(row.heartbeat);
  if (heartbeat !== null) doc.heartbeat = heartbeat;
  doc.result = parseJson(row.result);
  const stop = date(row.stop_time);
  if (stop !== null) doc.stop_time = stop;
  const trace = parseJson(row.fail_trace);
  if (trace !== null) doc.fail_trace = trace;
  return doc;
}
