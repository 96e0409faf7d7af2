import { isAbsolute, resolve } from 'node:path';
import type { MethodArgs, MethodResult } from '../../../shared/contract';
import type {
  NotSentFolder,
  SendMapping,
  SendPreviewFolder,
  SendProgress,
  SentRun,
} from '../../../shared/contract/send-methods';
import { AltarError } from '../../../shared/errors';
import type { SourceRow } from '../cache/cache-rows';
import type { MongoConnections } from '../mongo/mongo-connections';
import { mongoTarget, runsCollectionName } from '../mongo/sync-mongo-source';
import type { S3Target } from '../raw-data/s3-storage';
import { createFolderRunWriter } from './folder-run-writer';
import { createMongoRunWriter } from './mongo-run-writer';
import { arrivedCount } from './failed-send';
import type { DataFiles, RunContent } from './run-document';
import { documentJson, plannedArtifacts, randomSeed, runDocument } from './run-document';
import type { RawDestination, RawPlace, StoredRaw } from './raw-store';
import { checkRawDestination, rawArrived, rawEntry, storeRaw } from './raw-store';
import type { EarlierSends, FailedSend, RunWriter, WriteHooks } from './run-writer';
import type { FolderPlan } from './send-plan';
import { planFolder, withPrefix } from './send-plan';
import { storedPrefix } from './stored-name';

export interface SendServiceDeps {
  getSource(name: string): SourceRow | null;
  connections: MongoConnections;
  /** Throws READ_ONLY unless writes of the source are on (main/core/writes/source-writes.ts). */
  assertWritable(source: string): void;
  /** The source's storage profile: its S3 target (with the secret) and local data folders. */
  storage: {
    target(source: string): Promise<S3Target>;
    localRoots(source: string): string[];
  };
  /** Syncs the source so that the new runs are in the table when the send resolves. */
  syncSource(source: string): Promise<unknown>;
  emitProgress(progress: SendProgress): void;
  now?: () => number;
}

export interface SendService {
  previewSend(args: MethodArgs<'previewSend'>): Promise<MethodResult<'previewSend'>>;
  sendRuns(args: MethodArgs<'sendRuns'>): Promise<MethodResult<'sendRuns'>>;
  cancelSend(args: MethodArgs<'cancelSend'>): Promise<MethodResult<'cancelSend'>>;
}

const MONGO_TIMEOUT_MS = 10_000;

/**
 * Sending runs (issue 16): folders of lab results become Sacred runs in a writable source, as
 * the old AltarSender's did, with raw data to MinIO/S3 or a local root. Every input is read and
 * checked before anything is written; a cancelled send removes what it wrote.
 */
export function createSendService(deps: SendServiceDeps): SendService {
  const now = deps.now ?? Date.now;
  const operations = new Map<string, AbortController>();

  const requireWritable = (name: string): SourceRow => {
    const source = deps.getSource(name);
    if (source === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    deps.assertWritable(name);
    return source;
  };

  const openWriter = async (source: SourceRow, signal?: AbortSignal): Promise<RunWriter> => {
    if (source.kind === 'folder') return createFolderRunWriter(source.location);
    const target = mongoTarget(source);
    const client = await deps.connections
      .client(target.profileId, { timeoutMs: MONGO_TIMEOUT_MS, signal })
      .catch((error: unknown) => {
        throw deps.connections.classifyError(error, target.profileId);
      });
    return createMongoRunWriter({
      db: client.db(target.database),
      runs: runsCollectionName(target.prefix),
      metrics: target.prefix === null ? 'metrics' : `${target.prefix}_metrics`,
    });
  };

  /** A driver error (a server gone mid-send) as the contract's error, without secrets. */
  const driverErrorOf = (source: SourceRow, error: unknown): unknown =>
    source.kind === 'mongo' && !(error instanceof AltarError) && source.profile_id !== null
      ? deps.connections.classifyError(error, source.profile_id)
      : error;

  /** Where raw data goes, without credentials; null when no raw data is mapped. */
  const rawPlaceOf = (
    source: string,
    mapping: SendMapping,
    plans: FolderPlan[],
  ): RawPlace | null => {
    if (plans.every((plan) => plan.raw.length === 0)) return null;
    const rawTo = mapping.rawTo ?? (mapping.bucket !== undefined ? 'minio' : 'local');
    if (rawTo === 'minio') {
      if (mapping.bucket === undefined) {
        throw new AltarError('INVALID_ARGUMENT', 'Raw data to MinIO needs the bucket to send to.');
      }
      return { kind: 'minio', bucket: mapping.bucket };
    }
    const root = mapping.localRoot ?? deps.storage.localRoots(source)[0];
    if (root === undefined) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        `Raw data copied locally needs a folder: give one, or add a local data folder to the ` +
          `storage settings of "${source}".`,
      );
    }
    if (!isAbsolute(root)) {
      throw new AltarError('INVALID_ARGUMENT', `The local root must be an absolute path: ${root}`);
    }
    return { kind: 'local', root: resolve(root) };
  };

  const dataFilesOf = (plan: FolderPlan, place: RawPlace | null): DataFiles => {
    const dataFiles: DataFiles = {
      artifacts: plannedArtifacts(plan),
      raw_data: { minio: {}, local: {} },
    };
    if (place !== null) {
      for (const file of plan.raw) dataFiles.raw_data[place.kind][file.key] = rawEntry(file, place);
    }
    return dataFiles;
  };

  /** Plans every folder and looks for earlier sends of each. */
  const prepare = async (args: MethodArgs<'previewSend'>, writer: RunWriter) => {
    const sendTime = new Date(now());
    const plans: FolderPlan[] = [];
    for (const folder of args.folders) {
      if (!isAbsolute(folder)) {
        throw new AltarError('INVALID_ARGUMENT', `Folders to send must be absolute: ${folder}`);
      }
      plans.push(await planFolder(resolve(folder), args.mapping, sendTime));
    }
    const earlier: EarlierSends[] = [];
    for (const plan of plans) {
      earlier.push(
        plan.problems.length > 0
          ? { completed: null, failed: null }
          : await writer.findEarlier(plan),
      );
    }
    return { plans, earlier, place: rawPlaceOf(args.source, args.mapping, plans) };
  };

  return {
    async previewSend(args) {
      const source = requireWritable(args.source);
      const writer = await openWriter(source);
      const { plans, earlier, place } = await prepare(args, writer).catch((error: unknown) => {
        throw driverErrorOf(source, error);
      });
      return {
        folders: plans.map((plan, index) => ({
          ...failedEarlierOf(plan, earlier[index]),
          folder: plan.folder,
          name: plan.name,
          prefix: plan.prefix,
          files: [
            ...plan.inputs.map((input) => ({
              role: input.role,
              path: input.relative,
              storedName: null,
              size: input.size,
            })),
            ...plan.artifacts.map((file) => ({
              role: 'artifact' as const,
              path: file.relative,
              storedName: file.storedName,
              size: file.size,
            })),
            ...plan.raw.map((file) => ({
              role: 'raw' as const,
              path: file.relative,
              storedName: file.storedName,
              size: file.size,
            })),
          ],
          problems: plan.problems,
          duplicateOf: earlier[index]?.completed ?? null,
          document: documentJson({
            _id: null,
            ...runDocument({
              plan,
              startTime: plan.sendTime,
              stopTime: plan.sendTime,
              seed: 0,
              dataFiles: dataFilesOf(plan, place),
              status: 'COMPLETED',
              failTrace: null,
            }),
          }),
        })),
      };
    },

    async sendRuns(args) {
      const source = requireWritable(args.source);
      const operationId = args.operationId ?? null;
      const abort = new AbortController();
      if (operationId !== null) {
        if (operations.has(operationId)) {
          throw new AltarError('INVALID_ARGUMENT', `Operation "${operationId}" is running.`);
        }
        operations.set(operationId, abort);
      }
      const signal = abort.signal;
      const check = (): void => {
        if (signal.aborted) throw new AltarError('CANCELLED', 'The send was cancelled.');
      };
      const foldersTotal = args.folders.length;
      let foldersDone = 0;
      const emit: Emit = (
        phase,
        folder,
        file = null,
        bytes = 0,
        totalBytes = 0,
        status,
        arrived,
      ): void =>
        deps.emitProgress({
          operationId,
          phase,
          folder,
          file,
          bytes,
          totalBytes,
          foldersDone,
          foldersTotal,
          ...(status === undefined ? {} : { folderStatus: status }),
          ...(arrived === true ? { arrived } : {}),
        });
      const sent: SentRun[] = [];
      const notSent: NotSentFolder[] = [];
      try {
        const writer = await openWriter(source, signal);
        const { plans, earlier, place } = await prepare(args, writer);
        const decisions = decide(plans, earlier, args);
        const toSend = decisions.filter((d) => d.refusal === null);
        if (toSend.length === 0) refuseAll(decisions, args.resume === true);
        let destination: RawDestination | null = null;
        if (place !== null && toSend.some((d) => d.plan.raw.length > 0)) {
          destination =
            place.kind === 'minio'
              ? { ...place, target: await deps.storage.target(args.source) }
              : place;
          await checkRawDestination(destination);
        }
        for (const decision of decisions) {
          if (decision.refusal === null) continue;
          notSent.push(decision.refusal);
          foldersDone++;
          emit('folder-done', decision.plan.folder, null, 0, 0, 'NOT_SENT');
        }
        for (const [index, { plan, resume }] of toSend.entries()) {
          check();
          try {
            const run = await sendFolder(plan, resume, writer, destination, signal, check, emit);
            sent.push(run);
            foldersDone++;
            emit('folder-done', plan.folder, null, 0, 0, run.status);
          } catch (caught) {
            if (signal.aborted || (caught instanceof AltarError && caught.code === 'CANCELLED')) {
              throw caught;
            }
            // An error that left no run (the server went away): nothing was written for this
            // folder, and the next ones would meet it too. Said per folder when runs were sent.
            if (sent.length === 0) throw caught;
            const error = driverErrorOf(source, caught);
            notSent.push({
              folder: plan.folder,
              why: 'error',
              message: `${plan.name}: ${error instanceof Error ? error.message : String(error)}`,
              runId: null,
            });
            for (const rest of toSend.slice(index + 1)) {
              notSent.push({
                folder: rest.plan.folder,
                why: 'not-attempted',
                message: `${rest.plan.name}: not sent, the send stopped at ${plan.name}.`,
                runId: null,
              });
            }
            foldersDone++;
            emit('folder-done', plan.folder, null, 0, 0, 'NOT_SENT');
            break;
          }
        }
        emit('done', null);
        return { runs: sent, notSent };
      } catch (caught) {
        const error = driverErrorOf(source, caught);
        emit(signal.aborted ? 'cancelled' : 'failed', null);
        if (signal.aborted && sent.length > 0) {
          throw new AltarError(
            'CANCELLED',
            `The send was cancelled; ${sent.length} folder(s) had been sent already ` +
              `(run ${sent.map((run) => run.id).join(', ')}).`,
          );
        }
        throw error;
      } finally {
        if (operationId !== null) operations.delete(operationId);
        // The new runs show in the table when the send resolves, without a manual sync.
        if (sent.length > 0) await deps.syncSource(args.source).catch(() => undefined);
      }
    },

    async cancelSend({ operationId }) {
      const operation = operations.get(operationId);
      operation?.abort();
      return { cancelled: operation !== undefined };
    },
  };

  /**
   * Sends one folder: its run is created first (FAILED until finished), then the raw data
   * (each file recorded in the run as it arrives), the artifacts, the metrics and the final
   * document. A resume reopens the earlier FAILED run instead and stores only what has not
   * arrived (arrived-check.ts). Throws only when the run could not be created or reopened, or
   * on cancel (a new run is then removed with what it stored; a resumed one stays FAILED).
   */
  async function sendFolder(
    planned: FolderPlan,
    resume: FailedSend | null,
    writer: RunWriter,
    destination: RawDestination | null,
    signal: AbortSignal,
    check: () => void,
    emit: Emit,
  ): Promise<SentRun> {
    // The stored names carry the time this folder's send started (when its name holds none);
    // a resume keeps the names of the run it completes.
    const startTime = resume?.startTime ?? new Date(now());
    const plan = withPrefix(planned, resume?.prefix ?? storedPrefix(planned.name, startTime));
    const dataFiles = dataFilesOf(plan, null);
    const content = (status: RunContent['status'], failTrace: string[] | null): RunContent => ({
      plan,
      startTime,
      stopTime: new Date(now()),
      seed,
      dataFiles,
      status,
      failTrace,
    });
    const seed = resume?.seed ?? randomSeed();
    check();
    const run =
      resume === null ? await writer.begin(content('FAILED', null)) : await writer.reopen(resume);
    const stored: StoredRaw[] = [];
    const failures: string[] = [];
    let alreadyArrived = 0;
    try {
      if (destination !== null) {
        for (const file of plan.raw) {
          check();
          if (resume !== null && (await rawArrived(file, destination))) {
            alreadyArrived++;
            dataFiles.raw_data[destination.kind][file.key] = rawEntry(file, destination);
            emit('uploading', plan.folder, file.relative, file.size, file.size, undefined, true);
            continue;
          }
          emit('uploading', plan.folder, file.relative, 0, file.size);
          const raw = await storeRaw(
            file,
            destination,
            (bytes) => emit('uploading', plan.folder, file.relative, bytes, file.size),
            signal,
          ).catch((error: unknown) => {
            if (signal.aborted) throw error;
            // Not recorded as present: the old sender listed it even when the upload failed.
            failures.push(
              `${file.relative}: ${error instanceof Error ? error.message : String(error)}`,
            );
            return null;
          });
          if (raw === null) continue;
          stored.push(raw);
          dataFiles.raw_data[destination.kind][raw.key] = raw.entry;
          // Recorded as it arrives: a send killed later still says this file is there.
          await run.recordRaw(dataFiles.raw_data);
        }
        if (alreadyArrived > 0) await run.recordRaw(dataFiles.raw_data);
      }
      check();
      const hooks: WriteHooks = {
        signal,
        check,
        progress: (file, bytes, totalBytes, arrived) =>
          emit('writing', plan.folder, file, bytes, totalBytes, undefined, arrived),
      };
      const written = await run.finish(
        content(
          failures.length > 0 ? 'FAILED' : 'COMPLETED',
          failures.length > 0
            ? [
                `Altar Viewer: raw data that could not be stored (resume the send to store it):\n`,
                ...failures.map((f) => `${f}\n`),
              ]
            : null,
        ),
        hooks,
      );
      const reason = written.failure ?? (failures.length > 0 ? failures.join('; ') : null);
      return {
        folder: plan.folder,
        id: run.id,
        status: reason === null ? 'COMPLETED' : 'FAILED',
        reason,
        ...(resume === null
          ? {}
          : { resumed: true, alreadyArrived: alreadyArrived + written.alreadyArrived }),
      };
    } catch (error) {
      if (signal.aborted || (error instanceof AltarError && error.code === 'CANCELLED')) {
        if (resume === null) {
          // A cancelled new send leaves nothing: no run, no orphan files.
          await Promise.all(stored.map((raw) => raw.remove().catch(() => undefined)));
          await run.discard().catch(() => undefined);
        } else {
          // A cancelled resume leaves the run FAILED as it was, with what arrived recorded.
          await run.recordRaw(dataFiles.raw_data).catch(() => undefined);
          await run.fail('the resumed send was cancelled; resume it again to complete this run.');
        }
        throw new AltarError('CANCELLED', 'The send was cancelled.');
      }
      // The run exists (recording raw data failed: the server went away): left FAILED.
      const reason = `the send failed: ${error instanceof Error ? error.message : String(error)}`;
      await run.fail(reason);
      return {
        folder: plan.folder,
        id: run.id,
        status: 'FAILED',
        reason,
        ...(resume === null ? {} : { resumed: true, alreadyArrived }),
      };
    }
  }
}

type Emit = (
  phase: SendProgress['phase'],
  folder: string | null,
  file?: string | null,
  bytes?: number,
  totalBytes?: number,
  status?: SendProgress['folderStatus'],
  arrived?: boolean,
) => void;

/** One folder given to sendRuns: sent (new, or resuming `resume`), or refused with why. */
interface Decision {
  plan: FolderPlan;
  resume: FailedSend | null;
  refusal: NotSentFolder | null;
}

/**
 * Folder by folder: problems are refused; a folder sent already is refused (skipped when
 * resuming); a folder whose earlier send FAILED is resumed with `resume`, sent as a new run
 * with `again`, else refused; the others are sent.
 */
function decide(
  plans: FolderPlan[],
  earlier: EarlierSends[],
  options: { again?: boolean | undefined; resume?: boolean | undefined },
): Decision[] {
  return plans.map((plan, index): Decision => {
    const refuse = (why: NotSentFolder['why'], message: string, runId: string | null) => ({
      plan,
      resume: null,
      refusal: { folder: plan.folder, why, message: `${plan.name}: ${message}`, runId },
    });
    if (plan.problems.length > 0) return refuse('problems', plan.problems.join(' '), null);
    const { completed, failed } = earlier[index] ?? { completed: null, failed: null };
    if (options.again === true) return { plan, resume: null, refusal: null };
    if (completed !== null) {
      return refuse(
        'sent-already',
        options.resume === true
          ? `sent already (run ${completed}): nothing to resume.`
          : `already sent with the same files (run ${completed}); send it again (--again) to send it anyway.`,
        completed,
      );
    }
    if (failed !== null) {
      if (options.resume === true) return { plan, resume: failed, refusal: null };
      return refuse(
        'failed-earlier',
        `its earlier send (run ${failed.id}) failed part-way: resume it (--resume) to complete ` +
          'that run, or send it again (--again) as a new run.',
        failed.id,
      );
    }
    return { plan, resume: null, refusal: null };
  });
}

/**
 * No folder can be sent: rejects, nothing written (problems first). A resume of folders all
 * sent already has nothing to do and is not an error.
 */
function refuseAll(decisions: Decision[], resume: boolean): void {
  const refusals = decisions.flatMap((d) => (d.refusal === null ? [] : [d.refusal]));
  const problems = refusals.filter((r) => r.why === 'problems');
  if (problems.length > 0) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `Nothing was sent. ${problems.map((r) => r.message).join(' ')}`,
    );
  }
  if (resume && refusals.every((r) => r.why === 'sent-already')) return;
  const sentAlready = decisions.flatMap((d) =>
    d.refusal?.why === 'sent-already' ? [`${d.plan.name} (run ${d.refusal.runId ?? ''})`] : [],
  );
  const failedEarlier = refusals.filter((r) => r.why === 'failed-earlier').map((r) => r.message);
  throw new AltarError(
    'ALREADY_EXISTS',
    [
      'Nothing was sent:',
      ...(sentAlready.length > 0
        ? [
            `already sent with the same files: ${sentAlready.join(', ')}. ` +
              'Send again to send them anyway.',
          ]
        : []),
      ...failedEarlier,
    ].join(' '),
  );
}

/** The preview's "failed earlier, N of M files arrived", or nothing. */
function failedEarlierOf(
  plan: FolderPlan,
  earlier: EarlierSends | undefined,
): { failedEarlier?: NonNullable<SendPreviewFolder['failedEarlier']> } {
  const failed = earlier?.failed ?? null;
  if (failed === null || earlier?.completed !== null) return {};
  const named = withPrefix(plan, failed.prefix ?? storedPrefix(plan.name, failed.startTime));
  return {
    failedEarlier: {
      id: failed.id,
      arrived: arrivedCount(named, failed),
      total: named.artifacts.length + named.raw.length,
      reason: failed.reason,
    },
  };
}
