import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Db, Document, ObjectId, UpdateFilter } from 'mongodb';
import { AltarError } from '../../../shared/errors';
import { guessContentType } from '../cache/content-type';
import { SACRED_BUCKET } from '../mongo/gridfs';
import { isMongoDriverError, mongoDriver } from '../mongo/mongo-driver';
import { fileDigest } from './arrived-check';
import { dataFilesFingerprint, planFingerprint } from './duplicate-fingerprint';
import { failedSendOf } from './failed-send';
import { PART_BYTES } from './raw-store';
import type { RunContent } from './run-document';
import { runDocument } from './run-document';
import type { FolderPlan } from './send-plan';
import type {
  EarlierSends,
  FailedSend,
  OpenRun,
  RunWriter,
  WriteHooks,
  WrittenRun,
} from './run-writer';
import { UNFINISHED_TRACE } from './run-writer';

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
  const filesOf = () => target.db.collection(`${SACRED_BUCKET}.files`);
  const artifactFileName = (id: RunDoc['_id'], storedName: string): string =>
    `artifact://${target.runs}/${String(id)}/${storedName}`;

  /** The run `id` (a new one, or an earlier FAILED one when `resumed`) being written. */
  const openRun = (id: RunDoc['_id'], resumed: boolean): OpenRun => {
    const written = { artifacts: [] as ObjectId[], metrics: [] as ObjectId[] };
    const markFailed = async (reason: string): Promise<void> => {
      await runs.updateOne(
        { _id: id },
        { $set: { status: 'FAILED', fail_trace: [`Altar Viewer: ${reason}\n`] } },
      );
    };
    return {
      id: String(id),

      async recordRaw(rawData) {
        // The whole raw_data: a key may hold a dot (two files of one stem), a field path not.
        await runs.updateOne({ _id: id }, { $set: { 'info.dataFiles.raw_data': rawData } });
      },

      async finish(content: RunContent, hooks: WriteHooks): Promise<WrittenRun> {
        let alreadyArrived = 0;
        try {
          const artifacts: { name: string; file_id: ObjectId }[] = [];
          const bucket = new GridFSBucket(target.db, { bucketName: SACRED_BUCKET });
          for (const file of content.plan.artifacts) {
            hooks.check();
            const filename = artifactFileName(id, file.storedName);
            if (resumed) {
              const kept = await keepArrivedArtifact(filename, file.path);
              if (kept !== null) {
                alreadyArrived++;
                hooks.progress(file.relative, file.size, file.size, true);
                artifacts.push({ name: file.storedName, file_id: kept });
                continue;
              }
            }
            const fileId = new ObjectId(artifactFileId(content.startTime, filename));
            if (resumed) {
              // Chunks a killed upload of this very file left (no fs.files names them).
              await target.db
                .collection(`${SACRED_BUCKET}.chunks`)
                .deleteMany({ files_id: fileId });
            }
            written.artifacts.push(fileId);
            let bytes = 0;
            const md5 = createHash('md5');
            const upload = bucket.openUploadStream(filename, { id: fileId });
            const source = createReadStream(file.path);
            source.on('data', (chunk: string | Buffer) => {
              bytes += chunk.length;
              md5.update(chunk);
              hooks.progress(file.relative, bytes, file.size);
            });
            await pipeline(source, upload, { signal: hooks.signal });
            // The driver no longer writes contentType; Sacred does, and Omniboard reads it. The
            // md5 (legacy GridFS field) is written last: a file without it never finished, and a
            // resume does not trust it (arrived-check.ts).
            await filesOf().updateOne(
              { _id: fileId },
              {
                $set: {
                  contentType: guessContentType(file.fileName),
                  metadata: null,
                  md5: md5.digest('hex'),
                },
              },
            );
            artifacts.push({ name: file.storedName, file_id: fileId });
            // Recorded as it arrives: a send killed later still says it is there.
            await runs.updateOne({ _id: id }, { $set: { artifacts } });
          }
          hooks.check();
          const timestamp = content.startTime;
          const metricInfo = await writeMetrics(content, timestamp);
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
          return { failure: null, alreadyArrived };
        } catch (error) {
          if (hooks.signal.aborted || (error instanceof AltarError && error.code === 'CANCELLED')) {
            throw new AltarError('CANCELLED', 'The send was cancelled.');
          }
          // Left FAILED with the reason; what it wrote stays for a resume, never RUNNING.
          const failure = `the send failed: ${messageOf(error)}`;
          await markFailed(failure).catch(() => undefined);
          return { failure, alreadyArrived };
        }
      },

      fail: (reason) => markFailed(reason).catch(() => undefined),

      async discard() {
        const bucket = new GridFSBucket(target.db, { bucketName: SACRED_BUCKET });
        for (const fileId of written.artifacts) await bucket.delete(fileId).catch(() => undefined);
        await target.db.collection(target.metrics).deleteMany({ run_id: id });
        await runs.deleteOne({ _id: id });
      },
    };

    /**
     * A resume: the GridFS file of this name that holds the artifact now (length and md5), kept;
     * every other file of the name (a changed or unfinished earlier upload) is removed, so the
     * run never holds the artifact twice. Null when none holds it.
     */
    async function keepArrivedArtifact(filename: string, path: string): Promise<ObjectId | null> {
      const digest = await fileDigest(path, PART_BYTES);
      const files = await filesOf()
        .find({ filename }, { projection: { _id: 1, length: 1, md5: 1 } })
        .toArray();
      let kept: ObjectId | null = null;
      const bucket = new GridFSBucket(target.db, { bucketName: SACRED_BUCKET });
      for (const file of files) {
        const same = file.length === digest.size && file.md5 === digest.md5;
        if (same && kept === null) kept = file._id as ObjectId;
        else await bucket.delete(file._id as ObjectId);
      }
      return kept;
    }

    /**
     * One metrics document per series. A resume keeps a document of this run that holds the
     * series already (same name, steps and values) and removes the others of the run (a changed
     * table, or duplicates), so no series is stored twice.
     */
    async function writeMetrics(
      content: RunContent,
      timestamp: Date,
    ): Promise<{ name: string; id: ObjectId }[]> {
      const metrics = target.db.collection(target.metrics);
      const existing = resumed ? await metrics.find({ run_id: id }).toArray() : [];
      const kept = new Set<string>();
      const info: { name: string; id: ObjectId }[] = [];
      const toInsert: Document[] = [];
      for (const series of content.plan.metrics) {
        const same = existing.find(
          (doc) =>
            !kept.has(String(doc._id)) &&
            doc.name === series.name &&
            sameNumbers(doc.steps, series.steps) &&
            sameNumbers(doc.values, series.values),
        );
        if (same !== undefined) {
          kept.add(String(same._id));
          info.push({ name: series.name, id: same._id as ObjectId });
          continue;
        }
        const metricId = new ObjectId();
        info.push({ name: series.name, id: metricId });
        toInsert.push({
          _id: metricId,
          run_id: id,
          name: series.name,
          steps: series.steps,
          values: series.values,
          timestamps: series.values.map(() => timestamp),
        });
      }
      const stale = existing.filter((doc) => !kept.has(String(doc._id))).map((doc) => doc._id);
      if (stale.length > 0) await metrics.deleteMany({ _id: { $in: stale } });
      if (toInsert.length > 0) {
        written.metrics.push(...toInsert.map((doc) => doc._id as ObjectId));
        await metrics.insertMany(toInsert);
      }
      return info;
    }
  };

  return {
    async findEarlier(plan: FolderPlan): Promise<EarlierSends> {
      const wanted = planFingerprint(plan);
      const candidates = runs
        .find(
          { 'experiment.name': plan.name, status: { $in: ['COMPLETED', 'FAILED'] } },
          {
            projection: {
              _id: 1,
              status: 1,
              'experiment.name': 1,
              'info.dataFiles': 1,
              start_time: 1,
              'config.seed': 1,
              fail_trace: 1,
              artifacts: 1,
            },
          },
        )
        .sort({ _id: -1 })
        .limit(1000);
      const earlier: EarlierSends = { completed: null, failed: null };
      for await (const doc of candidates) {
        const experiment = doc.experiment as { name?: unknown } | undefined;
        const info = doc.info as { dataFiles?: unknown } | undefined;
        if (doc.status === 'COMPLETED') {
          if (
            earlier.completed === null &&
            dataFilesFingerprint(experiment?.name, info?.dataFiles) === wanted
          ) {
            earlier.completed = String(doc._id);
          }
        } else if (earlier.failed === null) {
          const stored = Array.isArray(doc.artifacts) ? (doc.artifacts as unknown[]) : [];
          earlier.failed = failedSendOf(plan, {
            id: String(doc._id),
            experimentName: experiment?.name,
            startTime: doc.start_time,
            config: doc.config,
            failTrace: doc.fail_trace,
            dataFiles: info?.dataFiles,
            storedArtifacts: stored.flatMap((artifact) =>
              artifact !== null &&
              typeof artifact === 'object' &&
              typeof (artifact as { name?: unknown }).name === 'string'
                ? [(artifact as { name: string }).name]
                : [],
            ),
          });
        }
      }
      return earlier;
    },

    async begin(content: RunContent): Promise<OpenRun> {
      // Inserted FAILED with the reason an interrupted send leaves: if this process dies or the
      // server goes away before the end, the run never reads as RUNNING, and a resume finds it.
      const document = runDocument({ ...content, status: 'FAILED', failTrace: UNFINISHED_TRACE });
      return openRun(await insertWithNextId(document), false);
    },

    async reopen(failed: FailedSend): Promise<OpenRun> {
      const id = /^\d+$/u.test(failed.id) ? Number(failed.id) : failed.id;
      const updated = await runs.updateOne(
        { _id: id, status: 'FAILED' },
        { $set: { fail_trace: UNFINISHED_TRACE } },
      );
      if (updated.matchedCount === 0) {
        throw new AltarError(
          'CONFLICT',
          `Run ${failed.id} is no longer FAILED: it was not resumed.`,
        );
      }
      return openRun(id, true);
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
}

/**
 * The GridFS id of an artifact: the run's start time (an ObjectId's seconds) then 8 bytes of
 * SHA-256 of its file name (which holds the run id). A resume keeps the start time, so it knows
 * the id a killed upload was writing and removes the chunks it left.
 */
export function artifactFileId(startTime: Date, filename: string): Uint8Array {
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setUint32(0, Math.floor(startTime.getTime() / 1000) >>> 0);
  bytes.set(createHash('sha256').update(filename).digest().subarray(0, 8), 4);
  return bytes;
}

function sameNumbers(stored: unknown, planned: readonly number[]): boolean {
  return (
    Array.isArray(stored) &&
    stored.length === planned.length &&
    stored.every((value, index) => Object.is(value, planned[index]))
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
