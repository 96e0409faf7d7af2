import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Db, Document, ObjectId, UpdateFilter } from 'mongodb';
import { AltarError } from '../../../shared/errors';
import { guessContentType } from '../cache/content-type';
import { SACRED_BUCKET } from '../mongo/gridfs';
import { isMongoDriverError, mongoDriver } from '../mongo/mongo-driver';
import { dataFilesFingerprint, planFingerprint } from './duplicate-fingerprint';
import type { RunContent } from './run-document';
import { runDocument } from './run-document';
import type { FolderPlan } from './send-plan';
import type { RunWriter, WriteHooks, WrittenRun } from './run-writer';

/** Two senders taking the same max+1: the loser takes the next one (insert, never upsert). */
const ID_ATTEMPTS = 50;
const DUPLICATE_KEY = 11000;
/** mongod's `number` alias (int, long, double, decimal), which the driver's types omit. */
const NUMERIC_ID: Document = { _id: { $type: 'number' } };

/** Where a MongoDB source keeps its runs and metrics (`runs`/`metrics`, or prefixed). */
export interface MongoRunTarget {
  db: Db;
  runs: string;
  metrics: string;
}

/** A run document as the runs collection holds it: ids of any kind (Sacred's are ints). */
interface RunDoc {
  _id: number | string | ObjectId;
  [key: string]: unknown;
}

export function createMongoRunWriter(target: MongoRunTarget): RunWriter {
  const { GridFSBucket, ObjectId } = mongoDriver();
  const runs = target.db.collection<RunDoc>(target.runs);

  return {
    async findDuplicate(plan: FolderPlan): Promise<string | null> {
      const wanted = planFingerprint(plan);
      const candidates = runs
        .find(
          { 'experiment.name': plan.name, status: 'COMPLETED' },
          { projection: { _id: 1, 'experiment.name': 1, 'info.dataFiles': 1 } },
        )
        .limit(1000);
      for await (const doc of candidates) {
        const experiment = doc.experiment as { name?: unknown } | undefined;
        const info = doc.info as { dataFiles?: unknown } | undefined;
        if (dataFilesFingerprint(experiment?.name, info?.dataFiles) === wanted) {
          return String(doc._id);
        }
      }
      return null;
    },

    async write(content: RunContent, hooks: WriteHooks): Promise<WrittenRun> {
      // Inserted FAILED with the reason an interrupted send leaves: if this process dies or the
      // server goes away before the end, the run never reads as RUNNING.
      const document = runDocument({
        ...content,
        status: 'FAILED',
        failTrace: ['Altar Viewer: the send of this folder did not finish; send it again.\n'],
      });
      const id = await insertWithNextId(document);
      const written = { artifacts: [] as ObjectId[], metrics: false };
      try {
        const artifacts: { name: string; file_id: ObjectId }[] = [];
        const bucket = new GridFSBucket(target.db, { bucketName: SACRED_BUCKET });
        for (const file of content.plan.artifacts) {
          hooks.check();
          const fileId = new ObjectId();
          written.artifacts.push(fileId);
          let bytes = 0;
          const upload = bucket.openUploadStream(
            `artifact://${target.runs}/${String(id)}/${file.storedName}`,
            { id: fileId },
          );
          const source = createReadStream(file.path);
          source.on('data', (chunk) => {
            bytes += chunk.length;
            hooks.progress(file.relative, bytes, file.size);
          });
          await pipeline(source, upload, { signal: hooks.signal });
          // The driver no longer writes contentType; Sacred does, and Omniboard reads it.
          await target.db
            .collection(`${SACRED_BUCKET}.files`)
            .updateOne(
              { _id: fileId },
              { $set: { contentType: guessContentType(file.fileName), metadata: null } },
            );
          artifacts.push({ name: file.storedName, file_id: fileId });
        }
        hooks.check();
        const timestamp = content.startTime;
        const metricInfo = content.plan.metrics.map((series) => ({
          name: series.name,
          id: new ObjectId(),
          series,
        }));
        if (metricInfo.length > 0) {
          written.metrics = true;
          await target.db.collection(target.metrics).insertMany(
            metricInfo.map(({ id: metricId, series }) => ({
              _id: metricId,
              run_id: id,
              name: series.name,
              steps: series.steps,
              values: series.values,
              timestamps: series.values.map(() => timestamp),
            })),
          );
        }
        hooks.check();
        // A later stop time than the first insert's: a sync that read the run mid-send sees
        // its listing fingerprint change (status alone stays FAILED when raw data failed).
        const stopTime = new Date(Math.max(Date.now(), content.stopTime.getTime() + 1));
        const final = runDocument({ ...content, stopTime });
        const info = final.info as Record<string, unknown>;
        info.metrics = metricInfo.map(({ name, id: metricId }) => ({
          name,
          id: metricId.toHexString(),
        }));
        const update: UpdateFilter<RunDoc> = { $set: { ...final, artifacts } };
        if (content.failTrace === null) update.$unset = { fail_trace: '' };
        await runs.updateOne({ _id: id }, update);
        return { id: String(id), failure: null };
      } catch (error) {
        if (hooks.signal.aborted || (error instanceof AltarError && error.code === 'CANCELLED')) {
          await removeRun(id, written).catch(() => undefined);
          throw new AltarError('CANCELLED', 'The send was cancelled.');
        }
        // Left FAILED with the reason; what it wrote stays for the user to see, never RUNNING.
        const failure = `the send failed: ${messageOf(error)}`;
        await runs
          .updateOne({ _id: id }, { $set: { fail_trace: [`Altar Viewer: ${failure}\n`] } })
          .catch(() => undefined);
        return { id: String(id), failure };
      }
    },
  };

  async function insertWithNextId(document: Record<string, unknown>): Promise<number> {
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      // Sacred takes the largest _id + 1; string and ObjectId ids (other tools) are skipped.
      const [last] = await target.db
        .collection(target.runs)
        .find(NUMERIC_ID, { projection: { _id: 1 } })
        .sort({ _id: -1 })
        .limit(1)
        .toArray();
      const id = typeof last?._id === 'number' ? Math.floor(last._id) + 1 : 1;
      try {
        await runs.insertOne({ ...document, _id: id });
        return id;
      } catch (error) {
        if (isMongoDriverError(error, 'MongoServerError') && error.code === DUPLICATE_KEY) continue;
        throw error;
      }
    }
    throw new AltarError(
      'CONFLICT',
      `Could not take a new run id after ${ID_ATTEMPTS} attempts: others are writing runs.`,
    );
  }

  async function removeRun(
    id: number,
    written: { artifacts: ObjectId[]; metrics: boolean },
  ): Promise<void> {
    const bucket = new GridFSBucket(target.db, { bucketName: SACRED_BUCKET });
    for (const fileId of written.artifacts) await bucket.delete(fileId).catch(() => undefined);
    if (written.metrics) await target.db.collection(target.metrics).deleteMany({ run_id: id });
    await runs.deleteOne({ _id: id });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
