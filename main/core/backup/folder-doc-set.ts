import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Binary, Int32, ObjectId } from 'bson';
import type { Document } from 'bson';
import { sacredTimeToMs } from '../folder/sacred-time';
import { runIdentity } from './id-remapping';
import { parseSacredJson } from './sacred-json';
import type { DocCollection, SacredDocSet } from './sacred-doc-set';

/** pymongo's GridFS chunk size, which Sacred's uploads use. */
export const GRIDFS_CHUNK_BYTES = 261_120;
const TIME_FIELDS = ['start_time', 'heartbeat', 'stop_time'] as const;
const NOT_RUNS = new Set(['_sources', '_resources']);

/** A FileStorage file as GridFS holds it, with where to read it. */
interface FolderFile {
  doc: Document;
  path: string;
}

interface FolderRun {
  doc: Document;
  metrics: Document[];
  files: FolderFile[];
}

export interface FolderReadOptions {
  /** Run folder names to take; null takes every run. */
  runDirs: readonly string[] | null;
  /** The runs collection the documents would go to (names artifacts as Sacred does). */
  runsCollection?: string;
}

/** An ObjectId that is the same every time for the same thing, so copying twice is recognised. */
export function stableObjectId(...parts: string[]): ObjectId {
  return new ObjectId(createHash('sha1').update(parts.join('\u0000')).digest().subarray(0, 12));
}

function asDict(value: unknown): Document | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Document)
    : null;
}

async function readJson(path: string): Promise<unknown> {
  return parseSacredJson(await readFile(path, 'utf8'));
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function toDate(value: unknown): Date | unknown {
  if (typeof value !== 'string') return value;
  try {
    const ms = sacredTimeToMs(value);
    return Number.isFinite(ms) ? new Date(ms) : value;
  } catch {
    return value;
  }
}

/**
 * A folder of FileStorage runs as the documents a MongoObserver would have written: run.json,
 * config.json, info.json and cout.txt make the run document (times as Dates), metrics.json the
 * metrics documents, artifacts and `_sources` files GridFS files. Ids of metrics and files are
 * derived from the run, so a second copy finds the first.
 */
export async function readFolderDocSet(
  base: string,
  options: FolderReadOptions,
): Promise<SacredDocSet> {
  const runsCollection = options.runsCollection ?? 'runs';
  const omitted: string[] = [];
  const names =
    options.runDirs ??
    (await readdir(base, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !NOT_RUNS.has(entry.name))
      .map((entry) => entry.name)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const runs: FolderRun[] = [];
  for (const name of names) {
    const dir = join(base, name);
    let run: Document | null;
    try {
      run = asDict(await readJson(join(dir, 'run.json')));
    } catch {
      run = null;
    }
    if (run === null) {
      omitted.push(`run folder ${name} (no readable run.json)`);
      continue;
    }
    runs.push(await folderRun(base, dir, name, run, runsCollection, omitted));
  }
  const files = new Map<string, FolderFile>();
  for (const run of runs)
    for (const file of run.files) files.set((file.doc._id as ObjectId).toHexString(), file);
  const collection = (
    name: string,
    role: DocCollection['role'],
    docs: () => AsyncIterable<Document>,
  ): DocCollection => ({
    name,
    role,
    docs,
    indexes: null,
    uuid: null,
  });
  const metricsCollection =
    runsCollection === 'runs' ? 'metrics' : runsCollection.replace(/_runs$/u, '_metrics');
  return {
    database: basename(base),
    omitted,
    collections: [
      collection(runsCollection, 'runs', async function* () {
        for (const run of runs) yield run.doc;
      }),
      collection(metricsCollection, 'metrics', async function* () {
        for (const run of runs) yield* run.metrics;
      }),
      collection('fs.files', 'files', async function* () {
        for (const file of files.values()) yield file.doc;
      }),
      collection('fs.chunks', 'chunks', async function* () {
        for (const file of files.values()) yield* fileChunks(file);
      }),
    ],
  };
}

async function folderRun(
  base: string,
  dir: string,
  name: string,
  json: Document,
  runsCollection: string,
  omitted: string[],
): Promise<FolderRun> {
  const id = /^\d{1,9}$/u.test(name) ? new Int32(Number(name)) : name;
  const doc: Document = { _id: id };
  if (json.status !== 'QUEUED') doc.format = 'MongoObserver-0.7.0';
  for (const [key, value] of Object.entries(json)) {
    Object.defineProperty(doc, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  for (const field of TIME_FIELDS) if (field in doc) doc[field] = toDate(doc[field]);
  const optional = async (file: string): Promise<unknown> => {
    try {
      return await readJson(join(dir, file));
    } catch {
      return undefined;
    }
  };
  const config = await optional('config.json');
  if (config !== undefined) doc.config = config;
  doc.info = (await optional('info.json')) ?? {};
  // A QUEUED run has no output yet (nor a captured_out in MongoDB).
  const output = await readFile(join(dir, 'cout.txt'), 'utf8').catch(() => null);
  if (output !== null || json.status !== 'QUEUED') doc.captured_out = output ?? '';
  const identity = runIdentity(doc);
  const files: FolderFile[] = [];
  const uploadDate = doc.start_time instanceof Date ? doc.start_time : new Date(0);

  const experiment = asDict(doc.experiment);
  const sources: unknown = experiment?.sources;
  if (experiment !== null && Array.isArray(sources)) {
    experiment.sources = await Promise.all(
      sources.map(async (entry: unknown) => {
        const queued = asDict(entry)?.['py/tuple'];
        if (
          Array.isArray(queued) &&
          typeof queued[0] === 'string' &&
          typeof queued[1] === 'string'
        ) {
          // A QUEUED run's sources: (name, md5), the file copied flat into the run's folder.
          const [sourceName, md5] = queued as [string, string];
          const path = join(dir, basename(sourceName));
          const info = await stat(path).catch(() => null);
          if (info?.isFile() !== true) return entry;
          const fileId = stableObjectId('source', md5, sourceName);
          const baseDir = typeof experiment.base_dir === 'string' ? experiment.base_dir : '';
          files.push({
            path,
            doc: gridFileDoc(
              fileId,
              baseDir === '' ? sourceName : `${baseDir}/${sourceName}`,
              info.size,
              md5,
              uploadDate,
              false,
            ),
          });
          return [sourceName, fileId];
        }
        if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string')
          return entry;
        const path = join(base, entry[1]);
        const info = await stat(path).catch(() => null);
        if (info?.isFile() !== true) {
          omitted.push(`source file ${entry[0]} of run ${name} (not found at ${entry[1]})`);
          return entry;
        }
        // The digest Sacred named the stored copy by (of the file as the run saw it), else the content's.
        const md5 = /_([0-9a-f]{32})(?:\.[^./]*)?$/u.exec(entry[1])?.[1] ?? (await md5Of(path));
        const fileId = stableObjectId('source', md5, entry[0]);
        const baseDir = typeof experiment.base_dir === 'string' ? experiment.base_dir : '';
        files.push({
          path,
          doc: gridFileDoc(
            fileId,
            baseDir === '' ? entry[0] : `${baseDir}/${entry[0]}`,
            info.size,
            md5,
            uploadDate,
            false,
          ),
        });
        return [entry[0], fileId];
      }),
    );
  }

  const artifacts: unknown = doc.artifacts;
  if (Array.isArray(artifacts)) {
    const listed: Document[] = [];
    for (const artifact of artifacts) {
      if (typeof artifact !== 'string') continue;
      const path = join(dir, artifact);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() !== true) {
        omitted.push(`artifact ${artifact} of run ${name} (not in its folder)`);
        continue;
      }
      const fileId = stableObjectId(identity, 'artifact', artifact);
      const doc2 = gridFileDoc(
        fileId,
        `artifact://${runsCollection}/${name}/${artifact}`,
        info.size,
        await md5Of(path),
        uploadDate,
        true,
      );
      files.push({ path, doc: doc2 });
      listed.push({ name: artifact, file_id: fileId });
    }
    doc.artifacts = listed;
  }

  const resources: unknown = doc.resources;
  if (Array.isArray(resources)) {
    // MongoDB keeps [original path, md5]; FileStorage's stored copy is named <stem>_<md5><ext>.
    doc.resources = resources.map((entry: unknown) => {
      if (!Array.isArray(entry) || typeof entry[1] !== 'string') return entry;
      const md5 = /_([0-9a-f]{32})(?:\.[^./]*)?$/u.exec(entry[1])?.[1];
      return md5 === undefined ? entry : [entry[0], md5];
    });
  }

  const metrics: Document[] = [];
  const metricsJson = asDict(await optional('metrics.json'));
  for (const [metric, series] of Object.entries(metricsJson ?? {})) {
    const entry = asDict(series);
    if (entry === null) continue;
    const timestamps: unknown = entry.timestamps;
    metrics.push({
      _id: stableObjectId(identity, 'metric', metric),
      run_id: id,
      name: metric,
      steps: Array.isArray(entry.steps) ? entry.steps : [],
      values: Array.isArray(entry.values) ? entry.values : [],
      timestamps: Array.isArray(timestamps) ? timestamps.map(toDate) : [],
    });
  }
  return { doc, metrics, files };
}

function gridFileDoc(
  id: ObjectId,
  filename: string,
  length: number,
  md5: string,
  uploadDate: Date,
  artifact: boolean,
): Document {
  return {
    _id: id,
    filename,
    length: length < 2 ** 31 ? new Int32(length) : length,
    chunkSize: new Int32(GRIDFS_CHUNK_BYTES),
    uploadDate,
    md5,
    ...(artifact ? { contentType: null, metadata: null } : {}),
  };
}

async function* fileChunks(file: FolderFile): AsyncGenerator<Document> {
  const bytes = await readFile(file.path);
  for (let n = 0, offset = 0; offset < bytes.length || n === 0; n++, offset += GRIDFS_CHUNK_BYTES) {
    if (bytes.length === 0) return;
    yield {
      _id: stableObjectId((file.doc._id as ObjectId).toHexString(), 'chunk', String(n)),
      files_id: file.doc._id,
      n: new Int32(n),
      data: new Binary(bytes.subarray(offset, offset + GRIDFS_CHUNK_BYTES)),
    };
  }
}
