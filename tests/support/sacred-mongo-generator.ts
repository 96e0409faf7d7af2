// Writes what Sacred's MongoObserver leaves in a database (SACRED_FORMAT.md §1, §5, §7),
// through the official driver, so that readers are tested against real BSON types: Int32,
// Int64, Double NaN, Date, ObjectId and GridFS files. Built on the folder generator's parts.
import { Double, GridFSBucket, Int32, Long, ObjectId } from 'mongodb';
import type { Db, Document } from 'mongodb';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buildRun } from '../../main/core/demo/build-run';
import type { RunFiles, RunRequest } from '../../main/core/demo/build-run';
import { buildExperiments, md5Hex } from '../../main/core/demo/experiment-catalog';
import type { ExperimentDef, SourceFile } from '../../main/core/demo/experiment-catalog';
import { generateHost } from '../../main/core/demo/host-info';
import type { MetricPlan } from '../../main/core/demo/metric-plan';
import { drawLinePlot } from '../../main/core/demo/plot-image';
import { encodePng } from '../../main/core/demo/png-encoder';
import { PyFloat } from '../../main/core/demo/python-json';
import type { PyValue } from '../../main/core/demo/python-json';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import { statusMix } from '../../main/core/demo/status-mix';
import type { StatusKind } from '../../main/core/demo/status-mix';
import { sacredTimeToMs } from '../../main/core/folder/sacred-time';

export interface GenerateSacredMongoOptions {
  /** Regular numbered runs; the variants come on top. */
  runs: number;
  seed?: number;
  /** Collection prefix (`P_runs`/`P_metrics`); null or absent: `runs`/`metrics`. */
  prefix?: string | null;
  /** Add string ids, an Int64 id, bad documents, an overwritten run, Altar sender runs. Default true. */
  variants?: boolean;
  /** "Now" in ms; fresh RUNNING runs have heartbeats at this time. */
  now?: number;
  /** Median points per metric (lognormal). Default 40. */
  metricPoints?: number;
  /**
   * Deprecated `collection="X"` setups: runs in X, metrics in the shared `metrics`. Overrides
   * the names the prefix gives.
   */
  runsCollection?: string;
  metricsCollection?: string;
}

export interface UploadedFile {
  runId: unknown;
  name: string;
  fileId: ObjectId;
  content: Buffer;
  contentType: string | null;
}

export interface GeneratedSacredMongo {
  /** `_id` of every run document, in insertion order. */
  ids: unknown[];
  runsCollection: string;
  metricsCollection: string;
  /** Kind of each regular run (RUNNING_STALE/RUNNING_FRESH both have status RUNNING). */
  kinds: Map<unknown, StatusKind>;
  artifacts: UploadedFile[];
  metricDocuments: number;
  variants: SacredMongoVariants | null;
}

export interface SacredMongoVariants {
  stringIds: string[];
  /** An Int64 `_id` past 2^31. */
  longId: Long;
  /** A bare `{_id}` document: not a Sacred run at all. */
  bareDocumentId: number;
  /** A run whose config is the string "not an object". */
  badConfigId: number;
  /** Restarted in place: RUNNING, with the stop_time and fail_trace of its earlier life. */
  overwrittenId: number;
  /** Runs uploaded by the Altar sender (§7). */
  altarIds: number[];
  /** A run with a PNG, a text file and a 600 KB binary spanning three GridFS chunks. */
  artifactRunId: number;
}

const BATCH = 50;
const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  txt: 'text/plain',
  json: 'application/json',
  tiff: 'image/tiff',
  csv: 'text/csv',
};

function contentTypeOf(name: string): string | null {
  return CONTENT_TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ?? null;
}

function objectId(rng: SeededRandom): ObjectId {
  return new ObjectId(rng.hex(24));
}

/** Python int/float → what pymongo writes: int32, int64 past 2^31, double. */
export function pyToBson(value: PyValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof PyFloat) return new Double(value.value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return new Double(value);
    return Math.abs(value) < 2 ** 31 ? new Int32(value) : Long.fromNumber(value);
  }
  if (Array.isArray(value)) return value.map(pyToBson);
  const out: Document = {};
  for (const [key, item] of Object.entries(value)) out[key] = pyToBson(item);
  return out;
}

function dateOf(text: PyValue | undefined): Date | null {
  return typeof text === 'string' ? new Date(Math.floor(sacredTimeToMs(text))) : null;
}

class GridFsWriter {
  private readonly shared = new Map<string, ObjectId>();

  constructor(
    private readonly db: Db,
    private readonly rng: SeededRandom,
    private readonly bucketName = 'fs',
  ) {}

  /** Uploads through GridFSBucket, then adds the fields pymongo/Sacred set on the files doc. */
  async upload(
    filename: string,
    content: Buffer,
    extra: { contentType?: string | null; md5?: string; metadata?: Document | null } = {},
  ): Promise<ObjectId> {
    const id = objectId(this.rng);
    const bucket = new GridFSBucket(this.db, { bucketName: this.bucketName });
    await pipeline(Readable.from([content]), bucket.openUploadStream(filename, { id }));
    const set: Document = {};
    if (extra.contentType !== undefined) set.contentType = extra.contentType;
    if (extra.md5 !== undefined) set.md5 = extra.md5;
    if (extra.metadata !== undefined) set.metadata = extra.metadata;
    if (Object.keys(set).length > 0) {
      await this.db.collection(`${this.bucketName}.files`).updateOne({ _id: id }, { $set: set });
    }
    return id;
  }

  /**
   * A source file: pymongo < 4 found an existing (filename, md5) and reused it; with
   * pymongo ≥ 4 every run uploads its sources again, without md5 (sacred issue #891).
   */
  async source(filename: string, content: string, reuse: boolean): Promise<ObjectId> {
    const md5 = md5Hex(content);
    const key = `${filename}\u0000${md5}`;
    if (reuse) {
      const known = this.shared.get(key);
      if (known !== undefined) return known;
      const id = await this.upload(filename, Buffer.from(content), { md5 });
      this.shared.set(key, id);
      return id;
    }
    return this.upload(filename, Buffer.from(content));
  }
}

function metricDocument(
  rng: SeededRandom,
  runId: unknown,
  plan: MetricPlan,
  stepOf?: (i: number) => number,
): Document {
  const steps: unknown[] = [];
  const values: unknown[] = [];
  const timestamps: Date[] = [];
  for (let i = 0; i < plan.count; i++) {
    const step = stepOf?.(i) ?? plan.step(i);
    steps.push(Number.isInteger(step) ? new Int32(step) : new Double(step));
    const value = plan.value(i);
    values.push(value === null ? null : plan.integer ? new Int32(value) : new Double(value));
    timestamps.push(new Date(Math.floor(plan.time(i) / 1000)));
  }
  return { _id: objectId(rng), run_id: runId, name: plan.name, steps, values, timestamps };
}

interface Collections {
  runs: string;
  metrics: string;
}

/** One run of the folder generator, as MongoObserver would have stored it. */
async function toMongoRun(
  rng: SeededRandom,
  files: GridFsWriter,
  collections: Collections,
  runId: unknown,
  run: RunFiles,
  experiment: ExperimentDef,
  nowMs: number,
  uploaded: UploadedFile[],
): Promise<{ run: Document; metrics: Document[] }> {
  const json = run.runJson;
  const reuseSources = rng.chance(0.5);
  const sourceFiles: SourceFile[] = json.status === 'QUEUED' ? run.flatSources : run.sources;
  const sources: unknown[] = [];
  for (const source of sourceFiles) {
    const id = await files.source(
      `${experiment.baseDir}/${source.name}`,
      source.content,
      reuseSources,
    );
    sources.push([source.name, id]);
  }
  const experimentDoc = pyToBson(json.experiment ?? {}) as Document;
  experimentDoc.sources = sources;
  const meta = pyToBson(json.meta ?? {}) as Document;
  const config = pyToBson(run.config);

  if (json.status === 'QUEUED') {
    meta.queue_time = new Date(nowMs - rng.int(60, 2 * 86_400) * 1000);
    return {
      run: {
        _id: runId,
        experiment: experimentDoc,
        command: json.command,
        host: pyToBson(json.host ?? {}),
        config,
        meta,
        status: 'QUEUED',
      },
      metrics: [],
    };
  }

  const metrics = (run.metrics ?? []).map((plan) => metricDocument(rng, runId, plan));
  const info = (run.info === null ? {} : pyToBson(run.info)) as Document;
  if (metrics.length > 0) {
    info.metrics = metrics.map((doc) => ({
      name: doc.name as string,
      id: (doc._id as ObjectId).toHexString(),
    }));
  }
  const artifacts: Document[] = [];
  for (const artifact of run.artifacts) {
    const content = Buffer.isBuffer(artifact.content)
      ? artifact.content
      : Buffer.from(artifact.content);
    const contentType = contentTypeOf(artifact.name);
    const fileId = await files.upload(
      `artifact://${collections.runs}/${String(runId)}/${artifact.name}`,
      content,
      {
        contentType,
        metadata: rng.chance(0.5) ? null : { epoch: rng.int(1, 100) },
      },
    );
    artifacts.push({ name: artifact.name, file_id: fileId });
    uploaded.push({ runId, name: artifact.name, fileId, content, contentType });
  }
  const doc: Document = {
    _id: runId,
    experiment: experimentDoc,
    format: 'MongoObserver-0.7.0',
    command: json.command,
    host: pyToBson(json.host ?? {}),
    start_time: dateOf(json.start_time),
    config,
    meta,
    status: json.status,
    // Since 0.8.3 only [path, md5] is recorded; nothing goes to GridFS.
    resources: run.resources.map((resource) => [
      `${experiment.baseDir}/data/labels.csv`,
      md5Hex(resource.content),
    ]),
    artifacts,
    captured_out: run.cout ?? '',
    info,
    heartbeat: dateOf(json.heartbeat),
  };
  if ('result' in json) doc.result = pyToBson(json.result ?? null);
  if (json.stop_time !== undefined) doc.stop_time = dateOf(json.stop_time);
  if (json.fail_trace !== undefined) doc.fail_trace = pyToBson(json.fail_trace);
  if (rng.chance(0.1)) {
    doc.omniboard = {
      tags: rng.chance(0.7) ? [rng.pick(['baseline', 'sweep', 'paper'])] : [],
      notes: rng.pick(['check lr', 'diverged after epoch 3', 'à refaire']),
    };
  }
  return { run: doc, metrics };
}

async function insertInBatches(db: Db, collection: string, docs: Document[]): Promise<void> {
  for (let start = 0; start < docs.length; start += BATCH) {
    await db.collection(collection).insertMany(docs.slice(start, start + BATCH));
  }
}

/** §7: a folder of files uploaded by the Altar sender tool as an ordinary Sacred run. */
async function altarSenderRun(
  rng: SeededRandom,
  files: GridFsWriter,
  collections: Collections,
  runId: number,
  nowMs: number,
  uploaded: UploadedFile[],
): Promise<{ run: Document; metrics: Document[] }> {
  const folder = `2023-04-17_18-13-00_sample${runId}`;
  const hash = rng
    .hex(7)
    .toUpperCase()
    .replace(/[ILOU]/gu, 'X');
  const stored = `${hash}-20230417T181300-spectrum.csv`;
  const csv = Buffer.from('wavelength,intensity\n400.5,0.12\n401.0,0.15\n401.5,0.11\n');
  const fileId = await files.upload(`artifact://runs/${runId}/${stored}`, csv, {
    contentType: 'text/csv',
  });
  uploaded.push({ runId, name: stored, fileId, content: csv, contentType: 'text/csv' });
  const points = 30;
  const wavelength = (i: number): number => 400.5 + i * 0.5;
  const metric = {
    _id: objectId(rng),
    run_id: runId,
    name: 'intensity',
    steps: Array.from({ length: points }, (_v, i) => new Double(wavelength(i))),
    values: Array.from({ length: points }, (_v, i) => new Double(Math.exp(-((i - 15) ** 2) / 40))),
    timestamps: Array.from({ length: points }, () => new Date(nowMs - 3_600_000)),
  };
  const upload = new Date(nowMs - 3_600_000);
  return {
    run: {
      _id: runId,
      experiment: {
        name: folder,
        base_dir: 'C:\\Users\\lab\\altar-sender',
        sources: [],
        dependencies: ['numpy==1.24.2', 'sacred==0.8.4'],
        repositories: [],
        mainfile: null,
      },
      format: 'MongoObserver-0.7.0',
      command: 'run',
      host: pyToBson(generateHost(rng)),
      start_time: upload,
      config: { experiment: folder, seed: new Int32(rng.int(0, 2 ** 31 - 1)) },
      meta: { command: 'run', options: { '--beat-interval': null, UPDATE: [], with: false } },
      status: 'COMPLETED',
      resources: [],
      artifacts: [{ name: stored, file_id: fileId }],
      captured_out: '',
      info: {
        result: { peak: new Double(408), fwhm: new Double(3.2) },
        metrics: [{ name: 'intensity', id: metric._id.toHexString() }],
        dataFiles: {
          artifacts: { spectrum: stored },
          raw_data: {
            minio: {
              video: {
                type: 'video',
                fileName: `${hash}-20230417T181300-video.tiff`,
                size: '12.30 Mo',
                bucket: 'raw',
                minio_folder: folder,
              },
            },
            local: {
              notes: {
                type: 'text',
                fileName: 'notes.txt',
                size: '2.1 Ko',
                local_path: '\\\\labserver\\share\\2023',
              },
            },
          },
        },
      },
      heartbeat: upload,
      result: null,
      stop_time: upload,
    },
    metrics: [metric],
  };
}

/** Bytes that differ from chunk to chunk, so a wrong range or chunk order shows. */
function patternedBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >> 10)) & 0xff;
  return out;
}

/**
 * Fills `db` with a MongoObserver database: `runs` int ids from 1 with ~3% gaps in the §5
 * status mix, metrics documents referenced from info.metrics, GridFS sources and artifacts,
 * and (with variants) string and Int64 ids, bad documents, an overwritten run, Altar runs.
 */
export async function generateSacredMongo(
  db: Db,
  options: GenerateSacredMongoOptions,
): Promise<GeneratedSacredMongo> {
  const rng = new SeededRandom(options.seed ?? 1);
  const variants = options.variants ?? true;
  const nowMs = options.now ?? Date.now();
  const prefix = options.prefix ?? null;
  const collections: Collections = {
    runs: options.runsCollection ?? (prefix === null ? 'runs' : `${prefix}_runs`),
    metrics: options.metricsCollection ?? (prefix === null ? 'metrics' : `${prefix}_metrics`),
  };
  const experiments = buildExperiments(rng.fork(), 6);
  const files = new GridFsWriter(db, rng.fork());
  const uploaded: UploadedFile[] = [];
  const runDocs: Document[] = [];
  const metricDocs: Document[] = [];
  const kinds = new Map<unknown, StatusKind>();

  const add = async (
    runId: unknown,
    request: Omit<RunRequest, 'id' | 'nowMs' | 'historyDays' | 'observerBaseDir' | 'metricMedian'>,
  ): Promise<Document> => {
    const runRng = rng.fork();
    const files_ = buildRun(runRng, {
      ...request,
      id: String(runId),
      nowMs,
      historyDays: 60,
      observerBaseDir: '/srv/sacred/runs',
      metricMedian: options.metricPoints ?? 40,
    });
    const { run, metrics } = await toMongoRun(
      runRng,
      files,
      collections,
      runId,
      files_,
      request.experiment,
      nowMs,
      uploaded,
    );
    runDocs.push(run);
    metricDocs.push(...metrics);
    kinds.set(runId, request.kind);
    return run;
  };

  let nextId = 1;
  for (let i = 0; i < options.runs; i++) {
    const id = nextId;
    nextId += rng.chance(0.03) ? rng.int(2, 3) : 1;
    await add(id, {
      kind: rng.weighted(statusMix),
      experiment: rng.pick(experiments),
      position: options.runs <= 1 ? 1 : i / (options.runs - 1),
    });
  }

  let variantInfo: SacredMongoVariants | null = null;
  if (variants) {
    const pick = (): ExperimentDef => rng.pick(experiments);
    // `--id myrun7` and `--id 42`: always strings, even when they read like numbers.
    const myrun = await add('myrun7', {
      kind: 'COMPLETED',
      experiment: pick(),
      position: 1,
      forceNonFiniteConfig: true,
    });
    (myrun.info as Document).sample_count = Long.fromNumber(5_000_000_000);
    (myrun.info as Document).beyond_double = Long.fromString('9007199254740993');
    (myrun.info as Document)['a,b'] = 'escaped dotted key';
    (myrun.info as Document)['@x'] = 'escaped dollar key';
    await add('42', { kind: 'RUNNING_FRESH', experiment: pick(), position: 1 });
    const longId = Long.fromNumber(2 ** 31 + 5);
    await add(longId, { kind: 'COMPLETED', experiment: pick(), position: 1 });

    const overwrittenId = nextId++;
    const overwritten = await add(overwrittenId, {
      kind: 'RUNNING_FRESH',
      experiment: pick(),
      position: 1,
    });
    const started =
      overwritten.start_time instanceof Date ? overwritten.start_time.getTime() : nowMs;
    overwritten.stop_time = new Date(started - 86_400_000);
    overwritten.fail_trace = [
      'Traceback (most recent call last):\n',
      'RuntimeError: earlier attempt\n',
    ];
    overwritten.heartbeat = new Date(nowMs);

    const artifactRunId = nextId++;
    const withArtifacts = await add(artifactRunId, {
      kind: 'COMPLETED',
      experiment: pick(),
      position: 1,
    });
    const extra: { name: string; content: Buffer }[] = [
      { name: 'plot.png', content: encodePng(drawLinePlot(64, 48, [[1, 0.6, 0.4, 0.3, 0.25]])) },
      { name: 'notes.txt', content: Buffer.from('trained on 4 GPUs\nrésultat: ok\n') },
      { name: 'weights.bin', content: patternedBytes(600_000) },
    ];
    const list = withArtifacts.artifacts as Document[];
    for (const artifact of extra) {
      const contentType = artifact.name.endsWith('.bin') ? null : contentTypeOf(artifact.name);
      const fileId = await files.upload(
        `artifact://${collections.runs}/${artifactRunId}/${artifact.name}`,
        artifact.content,
        { contentType, metadata: null },
      );
      list.push({ name: artifact.name, file_id: fileId });
      uploaded.push({
        runId: artifactRunId,
        name: artifact.name,
        fileId,
        content: artifact.content,
        contentType,
      });
    }

    const altarIds: number[] = [];
    for (let n = 0; n < 2; n++) {
      const id = nextId++;
      const { run, metrics } = await altarSenderRun(rng, files, collections, id, nowMs, uploaded);
      runDocs.push(run);
      metricDocs.push(...metrics);
      altarIds.push(id);
    }

    const bareDocumentId = nextId++;
    runDocs.push({ _id: bareDocumentId });
    const badConfigId = nextId;
    runDocs.push({
      _id: badConfigId,
      format: 'MongoObserver-0.7.0',
      status: 'COMPLETED',
      command: 'main',
      experiment: { name: 'broken', sources: [] },
      config: 'not an object',
      start_time: new Date(nowMs - 7_200_000),
      stop_time: new Date(nowMs - 7_100_000),
      heartbeat: new Date(nowMs - 7_100_000),
    });
    variantInfo = {
      stringIds: ['myrun7', '42'],
      longId,
      bareDocumentId,
      badConfigId,
      overwrittenId,
      altarIds,
      artifactRunId,
    };
  }

  await insertInBatches(db, collections.runs, runDocs);
  await insertInBatches(db, collections.metrics, metricDocs);
  return {
    ids: runDocs.map((doc) => doc._id as unknown),
    runsCollection: collections.runs,
    metricsCollection: collections.metrics,
    kinds,
    artifacts: uploaded,
    metricDocuments: metricDocs.length,
    variants: variantInfo,
  };
}

export interface GeneratedLegacy06 {
  ids: ObjectId[];
  /** Source files of the runs, by absolute path, as uploaded to `default`. */
  sources: Map<string, string>;
  artifacts: UploadedFile[];
}

/**
 * A Sacred ≤ 0.6 database: runs in `default.runs` with ObjectId ids, GridFS bucket `default`,
 * local times, a top-level comment, dependencies as [name, version] pairs, sources as
 * [absolute path, md5], artifacts as bare ObjectIds, no metrics.
 */
export async function generateLegacySacred06(
  db: Db,
  options: { runs?: number; seed?: number } = {},
): Promise<GeneratedLegacy06> {
  const rng = new SeededRandom(options.seed ?? 6);
  const files = new GridFsWriter(db, rng.fork(), 'default');
  const ids: ObjectId[] = [];
  const sources = new Map<string, string>();
  const artifacts: UploadedFile[] = [];
  const docs: Document[] = [];
  const count = options.runs ?? 3;
  const base = Date.UTC(2015, 5, 1, 12);
  for (let n = 0; n < count; n++) {
    const id = objectId(rng);
    ids.push(id);
    const path = `/home/alice/old/train_${n % 2}.py`;
    const text = `from sacred import Experiment\nex = Experiment('old')\n# variant ${n % 2}\n`;
    const md5 = md5Hex(text);
    if (!sources.has(path)) {
      await files.upload(path, Buffer.from(text), { md5 });
      sources.set(path, text);
    }
    const run: Document = {
      _id: id,
      experiment: {
        name: 'old_experiment',
        sources: [[path, md5]],
        dependencies: [
          ['numpy', '1.9.2'],
          ['sacred', '0.6.7'],
        ],
        doc: 'An experiment from 2015.',
      },
      host: {
        cpu: 'Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz',
        cpu_count: 8,
        hostname: 'old-box',
        os: 'Linux',
        os_info: 'Linux-3.13.0-x86_64-with-Ubuntu-14.04-trusty',
        python_version: '2.7.6',
        python_compiler: 'GCC 4.8.2',
      },
      start_time: new Date(base + n * 86_400_000),
      heartbeat: new Date(base + n * 86_400_000 + 60_000),
      stop_time: new Date(base + n * 86_400_000 + 61_000),
      config: { lr: new Double(0.1), seed: new Int32(rng.int(0, 2 ** 31 - 1)) },
      status: n === count - 1 ? 'FAILED' : 'COMPLETED',
      result: n === count - 1 ? null : new Double(0.5 + n / 10),
      comment: `old run ${n}`,
      info: {},
      captured_out: `epoch 1\nepoch 2\n`,
      artifacts: [] as ObjectId[],
    };
    if (n === 0) {
      const content = Buffer.from('old weights');
      const fileId = await files.upload(
        `artifact://old_experiment/${id.toHexString()}/weights.txt`,
        content,
      );
      (run.artifacts as ObjectId[]).push(fileId);
      artifacts.push({ runId: id, name: 'weights.txt', fileId, content, contentType: null });
    }
    docs.push(run);
  }
  await db.collection('default.runs').insertMany(docs);
  return { ids, sources, artifacts };
}
