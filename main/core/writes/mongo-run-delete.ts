import type { Db, Document, ObjectId } from 'mongodb';
import { mongoDriver } from '../mongo/mongo-driver';
import { SACRED_BUCKET } from '../mongo/gridfs';
import { isLegacy06 } from '../mongo/read-mongo-run';
import type { SourceCollections } from '../mongo/sync-mongo-source';

/**
 * Deleting a Sacred run from MongoDB as Omniboard does (runsTable.js, app.js): the run's
 * `metrics` documents, its artifacts' `fs.files` and `fs.chunks`, the source files no other run
 * references, then the run document. The run document goes last so that an interrupted delete
 * leaves a run that can be deleted again (every step before it is idempotent), never files or
 * metrics without their run still listed. Raw data in MinIO is never touched.
 */

/** What a run document names in GridFS: artifact files and source files (ObjectIds). */
export interface RunFiles {
  artifacts: ObjectId[];
  sources: ObjectId[];
  /** GridFS bucket of the files: `fs`, or the collection's name for Sacred 0.6. */
  bucket: string;
}

export interface RunDeletePlan extends RunFiles {
  /** Source files only this run references: deleted. */
  unsharedSources: ObjectId[];
  /** Source files other runs reference too: kept. */
  sharedSources: ObjectId[];
}

export interface MongoDeleteCounts {
  metricDocuments: number;
  files: number;
  chunks: number;
}

function asObjectId(value: unknown): ObjectId | null {
  // The driver as loaded on first use (main/core/mongo/mongo-driver.ts): a run document was read.
  const { ObjectId: ObjectIdClass } = mongoDriver();
  if (value instanceof ObjectIdClass) return value;
  if (typeof value === 'string' && ObjectIdClass.isValid(value) && value.length === 24) {
    return new ObjectIdClass(value);
  }
  return null;
}

function uniqueIds(ids: readonly ObjectId[]): ObjectId[] {
  const seen = new Map<string, ObjectId>();
  for (const id of ids) seen.set(id.toHexString(), id);
  return [...seen.values()];
}

/** The GridFS files a run document names (0.7+: `{file_id}`; 0.6: bare ObjectIds). */
export function runFilesOf(doc: Document, legacyBucket: string): RunFiles {
  const artifacts: ObjectId[] = [];
  if (Array.isArray(doc.artifacts)) {
    for (const item of doc.artifacts as unknown[]) {
      const fileId =
        typeof item === 'object' && item !== null && 'file_id' in item
          ? (item as { file_id: unknown }).file_id
          : item;
      const id = asObjectId(fileId);
      if (id !== null) artifacts.push(id);
    }
  }
  const sources: ObjectId[] = [];
  const experiment = doc.experiment as { sources?: unknown } | undefined;
  if (Array.isArray(experiment?.sources)) {
    for (const item of experiment.sources as unknown[]) {
      // 0.7+: [name, ObjectId]; 0.6 keeps [path, md5] (no id: nothing to delete).
      const fileId: unknown = Array.isArray(item) ? item[1] : null;
      const id = typeof fileId === 'string' ? null : asObjectId(fileId);
      if (id !== null) sources.push(id);
    }
  }
  return {
    artifacts: uniqueIds(artifacts),
    sources: uniqueIds(sources),
    bucket: isLegacy06(doc) ? legacyBucket : SACRED_BUCKET,
  };
}

/**
 * Which of the run's source files other runs of the collection reference too (Omniboard's
 * SourceFilesCount: a file is deleted only when its count is 1). `alsoGoing`: `_id`s of other
 * runs deleted with this one, whose references do not keep a file.
 */
export async function planRunDelete(
  db: Db,
  runsCollection: string,
  doc: Document,
  legacyBucket: string,
  alsoGoing: readonly unknown[] = [],
): Promise<RunDeletePlan> {
  const files = runFilesOf(doc, legacyBucket);
  const sharedSources: ObjectId[] = [];
  const unsharedSources: ObjectId[] = [];
  for (const id of files.sources) {
    const other = await db.collection(runsCollection).findOne(
      {
        _id: { $nin: [doc._id, ...alsoGoing] as never[] },
        'experiment.sources': { $elemMatch: { $elemMatch: { $eq: id } } },
      },
      { projection: { _id: 1 } },
    );
    (other === null ? unsharedSources : sharedSources).push(id);
  }
  return { ...files, sharedSources, unsharedSources };
}

/** Metric points of the run as stored (the sum of every metrics document's `values`). */
export async function countMetricPoints(
  db: Db,
  metricsCollection: string,
  runId: unknown,
): Promise<{ series: number; points: number }> {
  const docs = await db
    .collection(metricsCollection)
    .find({ run_id: runId as never }, { projection: { values: 1 } })
    .toArray();
  let points = 0;
  for (const doc of docs) if (Array.isArray(doc.values)) points += doc.values.length;
  return { series: docs.length, points };
}

async function deleteFiles(db: Db, bucket: string, ids: readonly ObjectId[]): Promise<number[]> {
  if (ids.length === 0) return [0, 0];
  // The files document first: a file that is still listed always has all its chunks.
  const files = await db.collection(`${bucket}.files`).deleteMany({ _id: { $in: [...ids] } });
  const chunks = await db
    .collection(`${bucket}.chunks`)
    .deleteMany({ files_id: { $in: [...ids] } });
  return [files.deletedCount, chunks.deletedCount];
}

/** Deletes one run and what only it uses, in the order described at the top of this file. */
export async function deleteMongoRun(
  db: Db,
  collections: { runs: string; metrics: SourceCollections['metrics'] },
  doc: Document,
  plan: RunDeletePlan,
): Promise<MongoDeleteCounts> {
  const metricsFilter: Document = { run_id: doc._id };
  // A metrics collection shared with other runs collections: only the documents this run's
  // info.metrics names are surely its own.
  if (collections.metrics.shared) {
    const refs = (doc.info as { metrics?: unknown } | undefined)?.metrics;
    const ids = Array.isArray(refs)
      ? refs
          .map((ref: unknown) =>
            asObjectId(
              typeof ref === 'object' && ref !== null ? (ref as { id?: unknown }).id : null,
            ),
          )
          .filter((id): id is ObjectId => id !== null)
      : [];
    metricsFilter._id = { $in: ids };
  }
  const metrics = await db.collection(collections.metrics.collection).deleteMany(metricsFilter);
  const [artifactFiles = 0, artifactChunks = 0] = await deleteFiles(
    db,
    plan.bucket,
    plan.artifacts,
  );
  const [sourceFiles = 0, sourceChunks = 0] = await deleteFiles(
    db,
    plan.bucket,
    plan.unsharedSources,
  );
  await db.collection(collections.runs).deleteOne({ _id: doc._id as never });
  return {
    metricDocuments: metrics.deletedCount,
    files: artifactFiles + sourceFiles,
    chunks: artifactChunks + sourceChunks,
  };
}
