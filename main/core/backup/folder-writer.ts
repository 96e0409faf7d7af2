import { createHash } from 'node:crypto';
import {
  copyFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Int32 } from 'bson';
import type { Document, ObjectId } from 'bson';
import { sacredTimeToMs } from '../folder/sacred-time';
import { GRIDFS_CHUNK_BYTES } from './folder-doc-set';
import { existingRun, idKey, placeRuns, runIdentity } from './id-remapping';
import type { ExistingRun, RunPlacement } from './id-remapping';
import { asDocument, collectionsOfRole, documentsOf } from './mongo-doc-set';
import { runReferences } from './run-references';
import { parseSacredJson, pythonJson } from './sacred-json';
import type { SacredDocSet } from './sacred-doc-set';
import { isObjectId } from './sacred-doc-set';
import type { ImportOptions, ImportSummary } from './mongo-importer';
import { showId } from './mongo-importer';

const STAGING = '.altar-incoming';
/** Fields of a run document that FileStorage keeps in files of their own or not at all. */
const NOT_IN_RUN_JSON = new Set(['_id', 'format', 'config', 'info', 'captured_out']);

/** The same as a MongoDB import's: where the runs came from, progress, cancel. */
export type FolderWriteOptions = ImportOptions;

function asDict(value: unknown): Document | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Document)
    : null;
}

/** The folder name a run id takes, and the id that name stands for (numbers as numbers). */
function dirIdOf(id: unknown): { dir: string; id: unknown } {
  const shown = showId(id);
  const dir = shown.startsWith('"') ? (JSON.parse(shown) as string) : shown;
  const safe =
    dir === '' || dir.startsWith('.') || dir.startsWith('_') || /[/\\\0]/u.test(dir)
      ? `run_${createHash('sha1').update(dir).digest('hex').slice(0, 8)}`
      : dir;
  return { dir: safe, id: /^\d{1,9}$/u.test(safe) ? new Int32(Number(safe)) : safe };
}

async function readJsonMaybe(path: string): Promise<unknown> {
  try {
    return parseSacredJson(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The runs a FileStorage folder holds, as the id remapping sees them. */
async function existingFolderRuns(base: string): Promise<ExistingRun[]> {
  const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
  const runs: ExistingRun[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const run = asDict(await readJsonMaybe(join(base, entry.name, 'run.json')));
    if (run === null) continue;
    for (const field of ['start_time', 'heartbeat', 'stop_time']) {
      if (typeof run[field] === 'string') {
        const ms = sacredTimeToMs(run[field] as string);
        if (Number.isFinite(ms)) run[field] = new Date(ms);
      }
    }
    // A queued run's identity is its queue time, a Date in MongoDB as the start time is.
    const meta = asDict(run.meta);
    if (meta !== null && typeof meta.queue_time === 'string') {
      const ms = sacredTimeToMs(meta.queue_time);
      if (Number.isFinite(ms)) meta.queue_time = new Date(ms);
    }
    run._id = dirIdOf(entry.name).id;
    run.config = await readJsonMaybe(join(base, entry.name, 'config.json'));
    run.info = await readJsonMaybe(join(base, entry.name, 'info.json'));
    runs.push(existingRun(run));
  }
  return runs;
}

/**
 * Writes a doc set's runs into a folder as Sacred's FileStorageObserver would have: one folder
 * per run (run.json, config.json, info.json, cout.txt, metrics.json, artifacts) and source files
 * in `_sources/<stem>_<md5><ext>`. run.json is written last, so a half-written run is not a run.
 * Runs the folder already holds are recognised; a taken folder name gives the next number.
 */
export async function writeFolderRuns(
  base: string,
  set: SacredDocSet,
  options: FolderWriteOptions,
): Promise<ImportSummary> {
  await mkdir(base, { recursive: true });
  const summary: ImportSummary = {
    runsAdded: 0,
    runsPresent: 0,
    renamed: [],
    metricsAdded: 0,
    filesAdded: 0,
    chunksAdded: 0,
    omniboardAdded: 0,
    omitted: [...set.omitted],
  };
  if (collectionsOfRole(set, 'omniboard').length > 0)
    summary.omitted.push("Omniboard's settings and columns (a folder has no place for them)");
  const { meter } = options;
  meter.report('planning', 0, null);
  const runsCollections = collectionsOfRole(set, 'runs');

  const incoming: { id: unknown; identity: string; original: unknown }[] = [];
  const wantedFiles = new Map<string, ObjectId>();
  for await (const run of documentsOf(runsCollections)) {
    const identity = runIdentity(run);
    incoming.push({ id: dirIdOf(run._id).id, identity, original: run._id });
    for (const id of runReferences(run).fileIds) wantedFiles.set(id.toHexString(), id);
  }
  const placements = placeRuns(incoming, await existingFolderRuns(base));
  const placementOf = new Map<string, RunPlacement>();
  incoming.forEach((run, index) => {
    const placement = placements[index];
    if (placement !== undefined) placementOf.set(idKey(run.original), placement);
    if (placement?.kind === 'present') summary.runsPresent++;
  });
  const runsToWrite = incoming.length - summary.runsPresent;

  // GridFS files into a staging folder, chunk by chunk at their offsets.
  const staging = join(base, STAGING);
  await mkdir(staging, { recursive: true });
  const fileDocs = new Map<string, Document>();
  for await (const file of documentsOf(collectionsOfRole(set, 'files'))) {
    if (isObjectId(file._id) && wantedFiles.has(file._id.toHexString()))
      fileDocs.set(file._id.toHexString(), file);
  }
  const handles = new Map<string, FileHandle>();
  try {
    for await (const chunk of documentsOf(collectionsOfRole(set, 'chunks'))) {
      const owner = isObjectId(chunk.files_id) ? chunk.files_id.toHexString() : '';
      const file = fileDocs.get(owner);
      if (file === undefined) continue;
      let handle = handles.get(owner);
      if (handle === undefined) {
        handle = await open(join(staging, owner), 'w');
        handles.set(owner, handle);
      }
      const size = Number(asDocument(file).chunkSize ?? GRIDFS_CHUNK_BYTES);
      const data = chunk.data as { buffer: Uint8Array; position: number } | undefined;
      const bytes = data === undefined ? new Uint8Array() : data.buffer.subarray(0, data.position);
      await handle.write(bytes, 0, bytes.length, Number(chunk.n) * size);
      summary.chunksAdded++;
      meter.addBytes(bytes.length);
      if (summary.chunksAdded % 50 === 0) meter.report('files', summary.chunksAdded, null);
    }
  } finally {
    await Promise.all([...handles.values()].map((handle) => handle.close()));
  }
  // An empty file has no chunks.
  for (const [hex, file] of fileDocs) {
    if (!handles.has(hex) && Number(file.length ?? 0) === 0)
      await writeFile(join(staging, hex), '');
  }

  // Metrics per run, as metrics.json holds them.
  const metricsOf = new Map<string, Document>();
  for await (const metric of documentsOf(collectionsOfRole(set, 'metrics'))) {
    const key = idKey(metric.run_id);
    const placement = placementOf.get(key);
    if (placement === undefined || placement.kind === 'present' || typeof metric.name !== 'string')
      continue;
    const series = metricsOf.get(key) ?? {};
    const existing = asDict(series[metric.name]);
    const add = (field: string): unknown[] => [
      ...(Array.isArray(existing?.[field]) ? (existing[field] as unknown[]) : []),
      ...(Array.isArray(metric[field]) ? (metric[field] as unknown[]) : []),
    ];
    series[metric.name] = {
      steps: add('steps'),
      timestamps: add('timestamps'),
      values: add('values'),
    };
    metricsOf.set(key, series);
    summary.metricsAdded++;
    if (summary.metricsAdded % 50 === 0) meter.report('metrics', summary.metricsAdded, null);
  }
  meter.report('metrics', summary.metricsAdded, null);

  const sourcesDir = join(base, '_sources');
  for await (const run of documentsOf(runsCollections)) {
    const placement = placementOf.get(idKey(run._id));
    if (placement === undefined || placement.kind === 'present') continue;
    const dirName = dirIdOf(placement.targetId).dir;
    const finalDir = join(base, dirName);
    // Written whole in the staging folder, then moved into place: a cancel or a crash never
    // leaves a half-written run where a reader (or Sacred's numbering) would see it.
    const dir = join(staging, `run-${dirName}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    if (await exists(join(finalDir, 'run.json'))) {
      // An unreadable run.json is someone's run, not ours to replace.
      summary.omitted.push(
        `run ${showId(run._id)}: the folder ${dirName} holds a run.json that cannot be read; left as it is`,
      );
      continue;
    }
    const info = asDict(run.info) ?? {};
    if (placement.kind === 'renamed') {
      summary.renamed.push({ from: showId(run._id), to: dirName });
      info.altar_import = { original_id: run._id, from: options.label };
    }
    const json: Document = {};
    for (const [key, value] of Object.entries(run))
      if (!NOT_IN_RUN_JSON.has(key)) json[key] = value;

    const artifacts: unknown = run.artifacts;
    if (Array.isArray(artifacts)) {
      const names: string[] = [];
      for (const artifact of artifacts) {
        const entry = asDict(artifact);
        const name = typeof entry?.name === 'string' ? entry.name : null;
        const fileId = isObjectId(entry?.file_id) ? entry.file_id.toHexString() : null;
        if (name === null) continue;
        names.push(name);
        if (
          fileId === null ||
          !(await exists(join(staging, fileId))) ||
          /[/\\]/u.test(name) ||
          name.startsWith('.')
        ) {
          summary.omitted.push(`artifact ${name} of run ${showId(run._id)} (no stored content)`);
          continue;
        }
        await copyFile(join(staging, fileId), join(dir, name));
        summary.filesAdded++;
      }
      json.artifacts = names;
    }
    const experiment = asDict(json.experiment);
    const sources: unknown = experiment?.sources;
    if (experiment !== null && Array.isArray(sources)) {
      const listed: unknown[] = [];
      for (const source of sources) {
        const fileId =
          Array.isArray(source) && isObjectId(source[1]) ? source[1].toHexString() : null;
        if (
          !Array.isArray(source) ||
          typeof source[0] !== 'string' ||
          fileId === null ||
          !(await exists(join(staging, fileId)))
        ) {
          listed.push(source);
          continue;
        }
        const content = await readFile(join(staging, fileId));
        const recorded = fileDocs.get(fileId)?.md5;
        const md5 =
          typeof recorded === 'string' && /^[0-9a-f]{32}$/u.test(recorded)
            ? recorded
            : createHash('md5').update(content).digest('hex');
        const ext = extname(source[0]);
        const stem =
          source[0]
            .split(/[/\\]/u)
            .pop()
            ?.slice(0, ext === '' ? undefined : -ext.length) ?? 'source';
        if (run.status === 'QUEUED') {
          // As FileStorage queues a run: (name, md5), the file copied flat into the run folder.
          await writeFile(join(dir, basename(source[0])), content);
          listed.push({ 'py/tuple': [source[0], md5] });
          continue;
        }
        const stored = `_sources/${stem}_${md5}${ext}`;
        await mkdir(sourcesDir, { recursive: true });
        if (!(await exists(join(base, stored)))) {
          await writeFile(join(base, stored), content);
          summary.filesAdded++;
        }
        listed.push([source[0], stored]);
      }
      experiment.sources = listed;
    }
    const resources: unknown = json.resources;
    if (Array.isArray(resources)) {
      json.resources = resources.map((entry: unknown) => {
        if (
          !Array.isArray(entry) ||
          typeof entry[0] !== 'string' ||
          typeof entry[1] !== 'string' ||
          !/^[0-9a-f]{32}$/u.test(entry[1])
        )
          return entry;
        const ext = extname(entry[0]);
        const stem =
          entry[0]
            .split(/[/\\]/u)
            .pop()
            ?.slice(0, ext === '' ? undefined : -ext.length) ?? 'resource';
        return [entry[0], join(base, '_resources', `${stem}_${entry[1]}${ext}`)];
      });
    }
    if (run.config !== undefined) await writeFile(join(dir, 'config.json'), pythonJson(run.config));
    if (Object.keys(info).length > 0) await writeFile(join(dir, 'info.json'), pythonJson(info));
    // A QUEUED run has neither yet; FileStorage makes both when a run starts.
    const metrics = metricsOf.get(idKey(run._id));
    if (run.status !== 'QUEUED' || typeof run.captured_out === 'string') {
      await writeFile(
        join(dir, 'cout.txt'),
        typeof run.captured_out === 'string' ? run.captured_out : '',
      );
    }
    if (run.status !== 'QUEUED' || metrics !== undefined) {
      await writeFile(join(dir, 'metrics.json'), pythonJson(metrics ?? {}));
    }
    await writeFile(join(dir, 'run.json'), pythonJson(json));
    // A folder without run.json under that name is a run an older copy left half-written
    // (or an empty folder): replaced by the whole one.
    if (await exists(finalDir)) {
      const stale = join(staging, `stale-${dirName}`);
      await rm(stale, { recursive: true, force: true });
      await rename(finalDir, stale);
      await rm(stale, { recursive: true, force: true });
    }
    await rename(dir, finalDir);
    summary.runsAdded++;
    meter.report('runs', summary.runsAdded, runsToWrite, dirName);
  }
  await rm(staging, { recursive: true, force: true });
  return summary;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}
