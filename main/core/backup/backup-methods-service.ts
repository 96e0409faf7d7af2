import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type {
  BackupEstimate,
  BackupProgressEvent,
  BackupSummary,
} from '../../../shared/contract/backup-methods';
import type { BackupProgress } from '../../../shared/backup-progress';
import type { JsonValue } from '../../../shared/contract';
import { AltarError, isAltarError } from '../../../shared/errors';
import { formatFilter } from '../../../shared/filter/format-filter';
import { rawDataOfInfo } from '../../../shared/raw-data-files';
import { cachedRunSizes } from '../cache/backup-size-query';
import type { CacheStore } from '../cache/cache-store';
import type { ServiceMethods } from '../parsed-methods';
import type { BackupHooks, BackupService } from './backup-service';
import { backupIo } from './load-backup-io';
import type { ImportSummary } from './mongo-importer';

export const BACKUP_METHODS = [
  'estimateBackup',
  'inspectBackup',
  'exportBackup',
  'importBackup',
  'copyRuns',
  'cancelBackup',
] as const;
export type BackupMethodName = (typeof BACKUP_METHODS)[number];

export interface BackupMethodsDeps {
  /** The CLI's backup service (the core creates it with itself). */
  backup: () => BackupService;
  store: CacheStore;
  /** The cached run ids of a source, all of them or those matching a filter. */
  runIdsOf: (source: string, where: string | null) => Promise<string[]>;
  /** Reads what a restore or copy wrote, so the run table shows it; its failure is not ours. */
  syncSource: (source: string) => Promise<unknown>;
  emitProgress: (event: BackupProgressEvent) => void;
  /** Keeps the work in the core's list of running work, so close() waits for it. */
  track: <T>(work: Promise<T>) => Promise<T>;
}

/** At most this many `working` events a second per operation; a phase change always goes. */
const EVENTS_PER_SECOND = 10;

/**
 * The window's backup, restore and copy: the CLI's backup service behind contract methods, with
 * an operation id to cancel by, progress events, sizes before starting, and a backup folder that
 * only appears once it is complete. A restore or copy that is cancelled keeps the runs it
 * finished (each whole: data first, the run document last) and nothing of the others.
 */
export function createBackupMethodsService(
  deps: BackupMethodsDeps,
): ServiceMethods<BackupMethodName> {
  const operations = new Map<string, AbortController>();

  const requireSource = (name: string): void => {
    if (deps.store.getSource(name) === null) {
      throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    }
  };

  /** The filter naming the runs asked for: a filter, ids, both, or null for every run. */
  const whereOf = (args: { where?: string; runIds?: string[] }): string | null => {
    const ids =
      args.runIds === undefined
        ? null
        : formatFilter({
            type: 'in',
            path: ['id'],
            values: args.runIds.map((id) => ({ type: 'string' as const, value: id })),
          });
    if (args.where !== undefined && ids !== null) return `(${args.where}) and ${ids}`;
    return args.where ?? ids;
  };

  /** Runs one operation: registered for cancel, progress out as events, the end announced. */
  const operate = async <T>(
    operationId: string | undefined,
    work: (hooks: BackupHooks) => Promise<T>,
  ): Promise<T> => {
    const id = operationId ?? null;
    if (id !== null && operations.has(id)) {
      throw new AltarError('INVALID_ARGUMENT', `Operation "${id}" is running.`);
    }
    const abort = new AbortController();
    if (id !== null) operations.set(id, abort);
    let last: BackupProgress = {
      phase: 'planning',
      done: 0,
      total: null,
      bytesDone: 0,
      bytesTotal: null,
    };
    let lastSent = 0;
    const emit = (state: BackupProgressEvent['state'], progress: BackupProgress): void =>
      deps.emitProgress({ ...progress, operationId: id, state });
    const onProgress = (progress: BackupProgress): void => {
      const now = Date.now();
      const phaseChanged = progress.phase !== last.phase;
      last = progress;
      if (!phaseChanged && now - lastSent < 1000 / EVENTS_PER_SECOND) return;
      lastSent = now;
      emit('working', progress);
    };
    try {
      emit('working', last);
      const result = await deps.track(work({ onProgress, signal: abort.signal }));
      emit('done', { ...last, phase: 'done' });
      return result;
    } catch (error) {
      if (abort.signal.aborted) {
        emit('cancelled', last);
        throw new AltarError('CANCELLED', 'Cancelled; nothing half-written was left behind.');
      }
      emit('failed', last);
      throw asUserError(error);
    } finally {
      if (id !== null) operations.delete(id);
    }
  };

  /** After a restore or copy (finished or not): the target's new runs show in the table. */
  const syncAfter = async <T>(target: string, work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      await deps.syncSource(target).catch(() => undefined);
    }
  };

  const importSummary = (
    kind: 'import' | 'copy',
    target: string,
    summary: ImportSummary & { rawDataFiles?: number },
  ): BackupSummary => ({
    kind,
    target,
    runsWritten: summary.runsAdded,
    runsPresent: summary.runsPresent,
    metricsWritten: summary.metricsAdded,
    filesWritten: summary.filesAdded,
    collections: [],
    renamed: summary.renamed,
    rawDataFiles: summary.rawDataFiles ?? 0,
    omitted: summary.omitted,
  });

  return {
    async estimateBackup(args) {
      requireSource(args.source);
      const where = whereOf(args);
      const sizes = cachedRunSizes(
        deps.store.database,
        args.source,
        where === null ? null : await deps.runIdsOf(args.source, where),
      );
      const estimate: BackupEstimate = {
        runs: sizes.runs,
        metrics: sizes.metrics,
        metricPoints: sizes.metricPoints,
        artifacts: sizes.artifacts,
        artifactBytes: sizes.artifactBytes,
        artifactsUnknownSize: sizes.artifactsUnknownSize,
        rawDataFiles: 0,
        rawDataBytes: 0,
        notes: [],
      };
      let rawUnknown = 0;
      for (const info of sizes.infosWithDataFiles) {
        for (const entry of rawDataOfInfo(parseInfo(info)) ?? []) {
          estimate.rawDataFiles++;
          if (entry.sizeBytes === null) rawUnknown++;
          else estimate.rawDataBytes += entry.sizeBytes;
        }
      }
      if (deps.store.getSource(args.source)?.kind === 'mongo') {
        estimate.notes.push(
          'Counted from the cache: runs the last sync has not seen are not counted.',
        );
      }
      if (rawUnknown > 0) {
        estimate.notes.push(`${rawUnknown} raw data file(s) have no size recorded.`);
      }
      return estimate;
    },

    async inspectBackup(args) {
      const from = resolve(args.from);
      await requireFolder(from);
      const set = await (
        await backupIo()
      ).readBsonDump(from, args.database === undefined ? {} : { database: args.database });
      const rawData = await (await backupIo()).rawDataFiles(from);
      let runs = 0;
      for (const collection of set.collections) {
        if (collection.role !== 'runs') continue;
        for await (const document of collection.docs()) {
          if (document !== null) runs++;
        }
      }
      return {
        database: set.database,
        runs,
        collections: set.collections.map((collection) => collection.name),
        bytes: await folderBytes(from),
        rawDataFiles: rawData.length,
        rawDataBytes: rawData.reduce((sum, file) => sum + file.size, 0),
        notes: set.omitted,
      };
    },

    async exportBackup(args) {
      requireSource(args.source);
      const target = resolve(args.to);
      await requireEmptyOrNew(target);
      const where = whereOf(args);
      // Written next to the target under a hidden name, renamed once complete: a cancelled or
      // failed backup is never mistaken for a whole one.
      const staging = join(
        dirname(target),
        `.${basename(target)}.altar-partial-${randomBytes(4).toString('hex')}`,
      );
      const summary = await operate(args.operationId, async (hooks) => {
        await mkdir(staging);
        try {
          const exportArgs: Parameters<BackupService['exportSource']>[0] = {
            source: args.source,
            to: staging,
            gzip: args.gzip === true,
            ...(where === null ? {} : { where }),
            ...(args.rawData === true ? { rawData: true } : {}),
          };
          const written = await deps.backup().exportSource(exportArgs, hooks);
          hooks.signal?.throwIfAborted();
          await requireEmptyOrNew(target);
          await rmdir(target).catch(() => undefined);
          await rename(staging, target);
          return written;
        } catch (error) {
          await rm(staging, { recursive: true, force: true });
          throw error;
        }
      });
      const count = (name: string): number =>
        summary.collections.find((collection) => collection.name === name)?.documents ?? 0;
      return {
        kind: 'export',
        target: join(target, basename(summary.folder)),
        runsWritten: summary.runs,
        runsPresent: 0,
        metricsWritten: summary.collections
          .filter((collection) => /(^|_)metrics$/u.test(collection.name))
          .reduce((sum, collection) => sum + collection.documents, 0),
        filesWritten: count('fs.files'),
        collections: summary.collections,
        renamed: [],
        rawDataFiles: summary.rawDataFiles,
        omitted: summary.omitted,
      };
    },

    async importBackup(args) {
      requireSource(args.to);
      const from = resolve(args.from);
      await requireFolder(from);
      const summary = await syncAfter(
        args.to,
        operate(args.operationId, (hooks) =>
          deps.backup().importDump(
            {
              from,
              to: args.to,
              ...(args.database === undefined ? {} : { database: args.database }),
              ...(args.rawData === true ? { rawData: true } : {}),
              ...(args.bucket === undefined ? {} : { bucket: args.bucket }),
            },
            hooks,
          ),
        ),
      );
      return importSummary('import', args.to, summary);
    },

    async copyRuns(args) {
      if (args.from === args.to) {
        throw new AltarError('INVALID_ARGUMENT', 'Copying a source into itself adds nothing.');
      }
      requireSource(args.from);
      requireSource(args.to);
      const where = whereOf(args);
      const summary = await syncAfter(
        args.to,
        operate(args.operationId, (hooks) =>
          deps
            .backup()
            .copyRuns(
              { from: args.from, to: args.to, ...(where === null ? {} : { where }) },
              hooks,
            ),
        ),
      );
      return importSummary('copy', args.to, summary);
    },

    async cancelBackup({ operationId }) {
      const operation = operations.get(operationId);
      operation?.abort();
      return { cancelled: operation !== undefined };
    },
  };
}

/** File system refusals and a damaged dump are the user's to fix, not a bug of ours. */
function asUserError(error: unknown): unknown {
  if (isAltarError(error) || !(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AltarError('FORBIDDEN', error.message);
  }
  if (code === 'ENOSPC') return new AltarError('SOURCE_UNAVAILABLE', error.message);
  if (/is not a BSON dump|ends in the middle of a document/u.test(error.message)) {
    return new AltarError('INVALID_ARGUMENT', `The backup is damaged: ${error.message}`);
  }
  return error;
}

function parseInfo(text: string): { [key: string]: JsonValue } {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { [key: string]: JsonValue })
      : {};
  } catch {
    return {};
  }
}

async function requireFolder(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new AltarError('NOT_FOUND', `The folder ${path} does not exist.`);
  if (!info.isDirectory()) {
    throw new AltarError('INVALID_ARGUMENT', `${path} is a file, not a backup folder.`);
  }
}

/** The bytes of every file under a folder (links not followed). */
async function folderBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += await folderBytes(path);
    else if (entry.isFile()) bytes += (await stat(path)).size;
  }
  return bytes;
}

/** A backup goes into a new folder (its parent must exist) or an empty one, never over files. */
async function requireEmptyOrNew(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null) {
    await requireFolder(dirname(path));
    return;
  }
  if (!info.isDirectory()) {
    throw new AltarError('ALREADY_EXISTS', `${path} is a file; choose a new or empty folder.`);
  }
  if ((await readdir(path)).length > 0) {
    throw new AltarError(
      'ALREADY_EXISTS',
      `${path} is not empty; choose a new or empty folder for the backup.`,
    );
  }
}
