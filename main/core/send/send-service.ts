import { isAbsolute, resolve } from 'node:path';
import type { MethodArgs, MethodResult } from '../../../shared/contract';
import type { SendMapping, SendProgress, SentRun } from '../../../shared/contract/send-methods';
import { AltarError } from '../../../shared/errors';
import type { SourceRow } from '../cache/cache-rows';
import type { MongoConnections } from '../mongo/mongo-connections';
import { mongoTarget, runsCollectionName } from '../mongo/sync-mongo-source';
import type { S3Target } from '../raw-data/s3-storage';
import { createFolderRunWriter } from './folder-run-writer';
import { createMongoRunWriter } from './mongo-run-writer';
import type { DataFiles } from './run-document';
import { documentJson, plannedArtifacts, randomSeed, runDocument } from './run-document';
import type { RawDestination, RawPlace, StoredRaw } from './raw-store';
import { checkRawDestination, rawEntry, storeRaw } from './raw-store';
import type { RunWriter, WriteHooks } from './run-writer';
import type { FolderPlan } from './send-plan';
import { planFolder } from './send-plan';

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
    const duplicates: (string | null)[] = [];
    for (const plan of plans) {
      duplicates.push(plan.problems.length > 0 ? null : await writer.findDuplicate(plan));
    }
    return { plans, duplicates, place: rawPlaceOf(args.source, args.mapping, plans) };
  };

  return {
    async previewSend(args) {
      const source = requireWritable(args.source);
      const writer = await openWriter(source);
      const { plans, duplicates, place } = await prepare(args, writer).catch((error: unknown) => {
        throw driverErrorOf(source, error);
      });
      return {
        folders: plans.map((plan, index) => ({
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
          duplicateOf: duplicates[index] ?? null,
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
      const emit = (
        phase: SendProgress['phase'],
        folder: string | null,
        file: string | null = null,
        bytes = 0,
        totalBytes = 0,
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
        });
      const sent: SentRun[] = [];
      try {
        const writer = await openWriter(source, signal);
        const { plans, duplicates, place } = await prepare(args, writer);
        refuseProblems(plans, duplicates, args.again === true);
        let destination: RawDestination | null = null;
        if (place !== null) {
          destination =
            place.kind === 'minio'
              ? { ...place, target: await deps.storage.target(args.source) }
              : place;
          await checkRawDestination(destination);
        }
        for (const plan of plans) {
          check();
          sent.push(await sendFolder(plan, writer, destination, signal, check, emit));
          foldersDone++;
          emit('folder-done', plan.folder);
        }
        emit('done', null);
        return { runs: sent };
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

  async function sendFolder(
    plan: FolderPlan,
    writer: RunWriter,
    destination: RawDestination | null,
    signal: AbortSignal,
    check: () => void,
    emit: (
      phase: SendProgress['phase'],
      folder: string | null,
      file?: string | null,
      bytes?: number,
      totalBytes?: number,
    ) => void,
  ): Promise<SentRun> {
    const startTime = new Date(now());
    const stored: StoredRaw[] = [];
    const failures: string[] = [];
    const dataFiles = dataFilesOf(plan, null);
    const removeStored = async (): Promise<void> => {
      await Promise.all(stored.map((raw) => raw.remove().catch(() => undefined)));
    };
    try {
      if (destination !== null) {
        for (const file of plan.raw) {
          check();
          emit('uploading', plan.folder, file.relative, 0, file.size);
          try {
            const raw = await storeRaw(
              file,
              destination,
              (bytes) => emit('uploading', plan.folder, file.relative, bytes, file.size),
              signal,
            );
            stored.push(raw);
            dataFiles.raw_data[destination.kind][raw.key] = raw.entry;
          } catch (error) {
            if (signal.aborted) throw error;
            // Not recorded as present: the old sender listed it even when the upload failed.
            failures.push(
              `${file.relative}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }
      check();
      const hooks: WriteHooks = {
        signal,
        check,
        progress: (file, bytes, totalBytes) =>
          emit('writing', plan.folder, file, bytes, totalBytes),
      };
      const written = await writer.write(
        {
          plan,
          startTime,
          stopTime: new Date(now()),
          seed: randomSeed(),
          dataFiles,
          status: failures.length > 0 ? 'FAILED' : 'COMPLETED',
          failTrace:
            failures.length > 0
              ? [
                  `Altar Viewer: raw data that could not be stored:\n`,
                  ...failures.map((f) => `${f}\n`),
                ]
              : null,
        },
        hooks,
      );
      const reason = written.failure ?? (failures.length > 0 ? failures.join('; ') : null);
      return {
        folder: plan.folder,
        id: written.id,
        status: reason === null ? 'COMPLETED' : 'FAILED',
        reason,
      };
    } catch (error) {
      // No run was left (cancelled, or the run could not be written at all): no orphan files.
      await removeStored();
      throw error;
    }
  }
}

/** Nothing is sent when any folder has a problem or was sent already (unless again). */
function refuseProblems(plans: FolderPlan[], duplicates: (string | null)[], again: boolean): void {
  const lines = plans.flatMap((plan) => plan.problems.map((problem) => `${plan.name}: ${problem}`));
  if (lines.length > 0) {
    throw new AltarError('INVALID_ARGUMENT', `Nothing was sent. ${lines.join(' ')}`);
  }
  if (again) return;
  const sentAlready = plans.flatMap((plan, index) => {
    const id = duplicates[index];
    return id === null || id === undefined ? [] : [`${plan.name} (run ${id})`];
  });
  if (sentAlready.length > 0) {
    throw new AltarError(
      'ALREADY_EXISTS',
      `Nothing was sent: already sent with the same files: ${sentAlready.join(', ')}. ` +
        'Send again to send them anyway.',
    );
  }
}
