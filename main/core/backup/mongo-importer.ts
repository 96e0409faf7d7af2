import { BSON, ObjectId } from 'bson';
import type { Document } from 'bson';
import type { Db } from 'mongodb';
import { byIds, collectionsOfRole, documentsOf } from './mongo-doc-set';
import { existingRun, idKey, placeRuns, runIdentity, TARGET_RUN_PROJECTION } from './id-remapping';
import type { RunPlacement } from './id-remapping';
import { remapRunReferences, runReferences } from './run-references';
import { BSON_READ_OPTIONS } from './sacred-doc-set';
import { isObjectId } from './sacred-doc-set';
import type { SacredDocSet } from './sacred-doc-set';
import type { BackupMeter } from './backup-meter';

const BATCH = 50;

export interface ImportTarget {
  runs: string;
  metrics: string;
}

export interface ImportSummary {
  runsAdded: number;
  /** Runs the target already held (an earlier import, the same database). */
  runsPresent: number;
  /** Runs whose `_id` was taken: old → new, also kept in the run's `info.altar_import`. */
  renamed: { from: string; to: string }[];
  metricsAdded: number;
  filesAdded: number;
  chunksAdded: number;
  omniboardAdded: number;
  /** What was left out, one sentence each. */
  omitted: string[];
  /** Raw data objects uploaded (or found there already) by an import with raw data. */
  rawDataFiles?: number;
}

export interface ImportOptions {
  /** Where the runs came from, kept with a renamed run (a dump folder, a source name). */
  label: string;
  /** Progress and cancel: every report checks the caller's signal. */
  meter: BackupMeter;
}

/** Shows an `_id` as a user reads it: 12, "name", an ObjectId's hex. */
export function showId(id: unknown): string {
  const key = idKey(id);
  return key.startsWith('s:') ? JSON.stringify(key.slice(2)) : key.slice(2);
}

/**
 * Writes a doc set's runs into a database: new runs keep their `_id` when it is free, else take
 * the next integer one; metrics `run_id`, `info.metrics`, artifacts and source file references
 * follow any id that had to change. Data goes in before the runs pointing at it, and what the
 * target already holds is recognised, so an interrupted or repeated import adds nothing twice.
 */
export async function importIntoMongo(
  db: Db,
  set: SacredDocSet,
  target: ImportTarget,
  options: ImportOptions,
): Promise<ImportSummary> {
  const runsCollections = collectionsOfRole(set, 'runs');
  if (runsCollections.length > 1) {
    throw new Error(
      `the dump holds several runs collections (${runsCollections.map((c) => c.name).join(', ')})`,
    );
  }
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
  const { meter } = options;
  const sizeOf = (docs: readonly Document[]): number =>
    docs.reduce((sum, doc) => sum + BSON.calculateObjectSize(doc), 0);

  // 1. Where each run goes (nothing written yet).
  meter.report('planning', 0, null);
  const incoming: { id: unknown; identity: string }[] = [];
  const filesOfRun = new Map<string, ObjectId[]>();
  for await (const run of documentsOf(runsCollections)) {
    incoming.push({ id: run._id, identity: runIdentity(run) });
    filesOfRun.set(idKey(run._id), runReferences(run).fileIds);
  }
  const existing = (
    await db
      .collection(target.runs)
      .find({}, { projection: TARGET_RUN_PROJECTION, ...BSON_READ_OPTIONS })
      .toArray()
  ).map(existingRun);
  const placements = placeRuns(incoming, existing);
  const placementOf = new Map<string, RunPlacement>();
  const wanted = new Map<string, ObjectId>();
  incoming.forEach((run, index) => {
    const placement = placements[index];
    if (placement === undefined) return;
    placementOf.set(idKey(run.id), placement);
    if (placement.kind === 'present') summary.runsPresent++;
    else for (const id of filesOfRun.get(idKey(run.id)) ?? []) wanted.set(id.toHexString(), id);
  });
  filesOfRun.clear();
  const runsToWrite = incoming.length - summary.runsPresent;

  // 2. Metrics of the runs that go in, under their run's new id.
  const metricIds = new Map<string, ObjectId>();
  let skippedMetrics = 0;
  let batch: Document[] = [];
  const flushMetrics = async (): Promise<void> => {
    if (batch.length === 0) return;
    meter.check();
    const held = new Map(
      (
        await db
          .collection(target.metrics)
          .find(byIds(batch.map((doc) => doc._id as unknown)), {
            projection: { run_id: 1, name: 1 },
            ...BSON_READ_OPTIONS,
          })
          .toArray()
      ).map((doc) => [idKey(doc._id), doc]),
    );
    const fresh: Document[] = [];
    for (const doc of batch) {
      const holder = held.get(idKey(doc._id));
      if (holder !== undefined) {
        if (idKey(holder.run_id) === idKey(doc.run_id) && holder.name === doc.name) continue;
        const renewed = new ObjectId();
        if (isObjectId(doc._id)) metricIds.set(doc._id.toHexString(), renewed);
        doc._id = renewed;
      }
      fresh.push(doc);
    }
    if (fresh.length > 0) await db.collection(target.metrics).insertMany(fresh, { ordered: true });
    summary.metricsAdded += fresh.length;
    meter.addBytes(sizeOf(fresh));
    meter.report('metrics', summary.metricsAdded, null);
    batch = [];
  };
  for await (const metric of documentsOf(collectionsOfRole(set, 'metrics'))) {
    const placement = placementOf.get(idKey(metric.run_id));
    if (placement === undefined) {
      skippedMetrics++;
      continue;
    }
    if (placement.kind === 'present') continue;
    metric.run_id = placement.targetId;
    batch.push(metric);
    if (batch.length >= BATCH) await flushMetrics();
  }
  await flushMetrics();
  if (skippedMetrics > 0) {
    summary.omitted.push(`${skippedMetrics} metrics documents of runs not in the dump`);
  }

  // 3. GridFS files the new runs reference: chunks first, then the file documents.
  const fileIds = new Map<string, ObjectId>();
  const newFiles: Document[] = [];
  /** Old file id (hex) → the id its chunks go under, for the files going in. */
  const chunkOwner = new Map<string, ObjectId>();
  const fileDocs: Document[] = [];
  for await (const file of documentsOf(collectionsOfRole(set, 'files'))) {
    if (isObjectId(file._id) && wanted.has(file._id.toHexString())) fileDocs.push(file);
  }
  for (let start = 0; start < fileDocs.length; start += BATCH * 10) {
    const slice = fileDocs.slice(start, start + BATCH * 10);
    const held = new Map(
      (
        await db
          .collection('fs.files')
          .find(byIds(slice.map((doc) => doc._id as unknown)), {
            projection: { length: 1, md5: 1, filename: 1 },
            ...BSON_READ_OPTIONS,
          })
          .toArray()
      ).map((doc) => [idKey(doc._id), doc]),
    );
    for (const file of slice) {
      const holder = held.get(idKey(file._id));
      const old = (file._id as ObjectId).toHexString();
      if (holder !== undefined) {
        const same =
          idKey(holder.length) === idKey(file.length) &&
          (holder.md5 ?? null) === (file.md5 ?? null) &&
          holder.filename === file.filename;
        if (same) continue;
        const renewed = new ObjectId();
        fileIds.set(old, renewed);
        file._id = renewed;
      }
      chunkOwner.set(old, file._id as ObjectId);
      newFiles.push(file);
    }
  }
  // Chunks the new files have, as GridFS cuts them: the files phase counts chunks.
  const chunkTotal = newFiles.reduce((sum, file) => {
    const length = Number(file.length ?? 0);
    const size = Number(file.chunkSize ?? 0);
    return sum + (size > 0 ? Math.ceil(length / size) : 0);
  }, 0);
  let chunks: Document[] = [];
  const flushChunks = async (): Promise<void> => {
    if (chunks.length === 0) return;
    meter.check();
    const held = new Map(
      (
        await db
          .collection('fs.chunks')
          .find(byIds(chunks.map((doc) => doc._id as unknown)), {
            projection: { files_id: 1, n: 1 },
            ...BSON_READ_OPTIONS,
          })
          .toArray()
      ).map((doc) => [idKey(doc._id), doc]),
    );
    const fresh: Document[] = [];
    for (const chunk of chunks) {
      const holder = held.get(idKey(chunk._id));
      if (holder !== undefined) {
        if (idKey(holder.files_id) === idKey(chunk.files_id) && idKey(holder.n) === idKey(chunk.n))
          continue;
        chunk._id = new ObjectId();
      }
      fresh.push(chunk);
    }
    if (fresh.length > 0) await db.collection('fs.chunks').insertMany(fresh, { ordered: true });
    summary.chunksAdded += fresh.length;
    meter.addBytes(sizeOf(fresh));
    meter.report('files', summary.chunksAdded, chunkTotal);
    chunks = [];
  };
  if (chunkOwner.size > 0) {
    for await (const chunk of documentsOf(collectionsOfRole(set, 'chunks'))) {
      const owner = isObjectId(chunk.files_id)
        ? chunkOwner.get(chunk.files_id.toHexString())
        : undefined;
      if (owner === undefined) continue;
      chunk.files_id = owner;
      chunks.push(chunk);
      if (chunks.length >= BATCH) await flushChunks();
    }
    await flushChunks();
  }
  for (let start = 0; start < newFiles.length; start += BATCH) {
    await db
      .collection('fs.files')
      .insertMany(newFiles.slice(start, start + BATCH), { ordered: true });
  }
  summary.filesAdded = newFiles.length;
  if (newFiles.length > 0) {
    meter.addBytes(sizeOf(newFiles));
    meter.report('files', summary.chunksAdded, chunkTotal);
    await ensureGridFsIndexes(db);
  }

  // 4. The runs, last: a run is only there once everything it points at is.
  let runs: Document[] = [];
  const flushRuns = async (): Promise<void> => {
    // Checked before each batch: a cancel adds no run after it.
    meter.check();
    if (runs.length > 0) await db.collection(target.runs).insertMany(runs, { ordered: true });
    summary.runsAdded += runs.length;
    meter.addBytes(sizeOf(runs));
    const last = runs.at(-1);
    meter.report(
      'runs',
      summary.runsAdded,
      runsToWrite,
      last === undefined ? undefined : showId(last._id),
    );
    runs = [];
  };
  for await (const run of documentsOf(runsCollections)) {
    const placement = placementOf.get(idKey(run._id));
    if (placement === undefined || placement.kind === 'present') continue;
    remapRunReferences(run, fileIds, metricIds);
    if (placement.kind === 'renamed') {
      summary.renamed.push({ from: showId(run._id), to: showId(placement.targetId) });
      const info: Document =
        typeof run.info === 'object' && run.info !== null && !Array.isArray(run.info)
          ? (run.info as Document)
          : {};
      info.altar_import = { original_id: run._id, from: options.label };
      run.info = info;
      run._id = placement.targetId;
    }
    runs.push(run);
    if (runs.length >= BATCH) await flushRuns();
  }
  await flushRuns();

  // 5. Omniboard's settings and columns the target does not have yet (by name).
  for (const collection of collectionsOfRole(set, 'omniboard')) {
    const names = new Set(
      (
        await db
          .collection(collection.name)
          .find({}, { projection: { name: 1 } })
          .toArray()
      ).map((doc) => JSON.stringify(doc.name ?? null)),
    );
    const heldIds = new Set(
      (
        await db
          .collection(collection.name)
          .find({}, { projection: { _id: 1 }, ...BSON_READ_OPTIONS })
          .toArray()
      ).map((doc) => idKey(doc._id)),
    );
    for await (const doc of documentsOf([collection])) {
      const name = JSON.stringify(typeof doc.name === 'string' ? doc.name : null);
      if (names.has(name)) continue;
      if (heldIds.has(idKey(doc._id))) doc._id = new ObjectId();
      await db.collection(collection.name).insertOne(doc);
      names.add(name);
      summary.omniboardAdded++;
      meter.addBytes(sizeOf([doc]));
      meter.report('omniboard', summary.omniboardAdded, null);
    }
  }
  return summary;
}

async function ensureGridFsIndexes(db: Db): Promise<void> {
  // What GridFS drivers create on first upload; a user without the privilege still gets the data.
  await db
    .collection('fs.chunks')
    .createIndex({ files_id: 1, n: 1 }, { unique: true })
    .catch(() => undefined);
  await db
    .collection('fs.files')
    .createIndex({ filename: 1, uploadDate: 1 })
    .catch(() => undefined);
}
