import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db, Document } from 'mongodb';
import type { z } from 'zod';
import type { AltarApi, JsonObject } from '../../../shared/contract';
import type {
  DeletePreview,
  RunStamp,
  deleteMethods,
} from '../../../shared/contract/delete-methods';
import { AltarError, isAltarError } from '../../../shared/errors';
import { rawDataOfInfo } from '../../../shared/raw-data-files';
import type { RunDetailRow, SourceRow } from '../cache/cache-rows';
import type { CacheStore } from '../cache/cache-store';
import { sacredTimeToIso } from '../folder/sacred-time';
import { parseTolerantJson } from '../folder/tolerant-json';
import type { MongoConnections } from '../mongo/mongo-connections';
import { idFromOrigin } from '../mongo/read-mongo-run';
import { mongoTarget, resolveCollections } from '../mongo/sync-mongo-source';
import type { SourceCollections } from '../mongo/sync-mongo-source';
import { deletePreviewMessage, plural } from './delete-preview-message';
import { checkRunFolderName, listTrash, moveRunToTrash, restoreFromTrash } from './folder-trash';
import { deleteMongoRun, planRunDelete } from './mongo-run-delete';
import type { RunDeletePlan } from './mongo-run-delete';

type DeleteMethod = keyof typeof deleteMethods;
type Args<M extends DeleteMethod> = z.output<(typeof deleteMethods)[M]['args']>;

/** Delete never waits long for a server: the user is looking at a confirmation. */
const WRITE_TIMEOUT_MS = 10_000;

export interface DeleteRunsDeps {
  store: CacheStore;
  /** The core's argument check (the same as every door's). */
  parse: <M extends DeleteMethod>(method: M, args: unknown) => Args<M>;
  connections: MongoConnections;
  /**
   * Throws READ_ONLY (with the reason) when writes are off for the source or its user may
   * only read: the writes-per-source flag (main/core/writes/source-writes.ts).
   */
  assertWritable: (source: string) => void | Promise<void>;
  /** The cache dropped these runs (the table and other windows reload them). */
  onRunsRemoved: (source: string, ids: string[]) => void;
  /** A restored run folder: the source is synced so that the run is listed again. */
  onRunRestored: (source: string, id: string) => Promise<unknown>;
  now: () => number;
}

export type DeleteRunsService = Pick<AltarApi, DeleteMethod>;

interface MongoHandle {
  db: Db;
  collections: SourceCollections & { runs: string };
}

/**
 * The delete of issue 15: MongoDB runs are deleted as Omniboard deletes them
 * (mongo-run-delete.ts), folder runs move to the source's trash (folder-trash.ts); the cache
 * drops them at once. Offline MongoDB sources are refused (nothing is kept pending): a delete
 * that waits could remove a run that changed meanwhile without asking again.
 */
export function createDeleteRunsService(deps: DeleteRunsDeps): DeleteRunsService {
  const { store } = deps;

  const requireSource = (name: string): SourceRow => {
    const row = store.getSource(name);
    if (row === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    return row;
  };

  const cachedRuns = (source: string, ids: readonly string[]) => {
    const found: RunDetailRow[] = [];
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const row = store.getRun(source, id);
      if (row === null) missing.push(id);
      else found.push(row);
    }
    return { found, missing };
  };

  const connect = async (row: SourceRow): Promise<MongoHandle> => {
    const target = mongoTarget(row);
    try {
      const client = await deps.connections.client(target.profileId, {
        timeoutMs: WRITE_TIMEOUT_MS,
      });
      const db = client.db(target.database);
      const collections = await resolveCollections(db, target.prefix);
      if (collections.runs === null) {
        throw new AltarError('NOT_FOUND', `Database ${target.database} has no runs collection.`);
      }
      return { db, collections: { ...collections, runs: collections.runs } };
    } catch (error) {
      throw offline(row, error);
    }
  };

  const offline = (row: SourceRow, error: unknown): AltarError => {
    const classified = isAltarError(error)
      ? error
      : deps.connections.classifyError(error, row.profile_id ?? '');
    if (isAltarError(classified) && !['CONNECTION_FAILED', 'TIMEOUT'].includes(classified.code)) {
      return classified;
    }
    return new AltarError(
      'SOURCE_UNAVAILABLE',
      `"${row.name}" cannot be reached (${classified.message}): nothing is deleted while it ` +
        'is offline. Delete again when the server is back.',
    );
  };

  const serverDoc = async (handle: MongoHandle, run: RunDetailRow): Promise<Document | null> => {
    if (run.origin === null) {
      throw new AltarError('INVALID_ARGUMENT', `Run "${run.run_id}" has no id to delete it by.`);
    }
    return handle.db
      .collection(handle.collections.runs)
      .findOne({ _id: idFromOrigin(run.origin) as never });
  };

  /** A run as it is now at its source, in the terms of a RunStamp; null when it is gone. */
  const folderStamp = async (row: SourceRow, id: string): Promise<RunStamp | null> => {
    let text: string;
    try {
      text = await readFile(join(row.location, id, 'run.json'), 'utf8');
    } catch {
      return null;
    }
    try {
      // Python's json writes NaN and Infinity, which JSON.parse refuses.
      const run = (parseTolerantJson(text) ?? {}) as { status?: unknown; heartbeat?: unknown };
      return {
        id,
        status: typeof run.status === 'string' ? run.status : 'UNKNOWN',
        heartbeat: sacredTimeToIso(run.heartbeat),
      };
    } catch {
      // Half-written: Sacred is rewriting it right now, so the run is changing.
      return { id, status: 'being written', heartbeat: null };
    }
  };

  const mongoStamp = (doc: Document, id: string): RunStamp => ({
    id,
    status: typeof doc.status === 'string' ? doc.status : 'UNKNOWN',
    heartbeat: sacredTimeToIso(doc.heartbeat),
  });

  const checkUnchanged = (expected: RunStamp | undefined, now: RunStamp | null): string | null => {
    if (expected === undefined || now === null) return null;
    if (expected.status !== now.status) return `its status is ${now.status} now`;
    if (expected.heartbeat !== now.heartbeat) return 'it sent a heartbeat since';
    return null;
  };

  const conflict = (source: string, changed: { id: string; why: string }[]): AltarError =>
    new AltarError(
      'CONFLICT',
      `${changed.length === 1 ? 'A run' : `${changed.length} runs`} of "${source}" changed ` +
        `meanwhile (${changed.map((c) => `run ${c.id}: ${c.why}`).join('; ')}). ` +
        'Nothing was deleted; delete anyway?',
    );

  const dropFromCache = (source: string, ids: string[]): void => {
    for (const id of ids) store.deleteRun(source, id);
    if (ids.length > 0) deps.onRunsRemoved(source, ids);
  };

  /** Runs a write with the source's sync held off, so no sync puts a deleted run back. */
  const exclusive = async <T>(source: string, work: () => Promise<T>): Promise<T> => {
    if (!store.tryBeginSync(source)) {
      throw new AltarError(
        'SYNC_IN_PROGRESS',
        `"${source}" is being synced; delete again when the sync has finished.`,
      );
    }
    try {
      return await work();
    } finally {
      store.endSync(source);
    }
  };

  return {
    async previewDeleteRuns(args) {
      const { source, ids } = deps.parse('previewDeleteRuns', args);
      const row = requireSource(source);
      const { found, missing } = cachedRuns(source, ids);
      let metricSeries = 0;
      let metricPoints = 0;
      let artifactFiles = 0;
      let runsWithRawData = 0;
      for (const run of found) {
        for (const metric of store.metricsOfRun(source, run.run_id)) {
          metricSeries += 1;
          metricPoints += metric.count;
        }
        artifactFiles += store.artifactsOfRun(source, run.run_id).length;
        if ((rawDataOfInfo(parseObject(run.info))?.length ?? 0) > 0) runsWithRawData += 1;
      }
      let refusal: string | null = null;
      try {
        await deps.assertWritable(source);
      } catch (error) {
        refusal = error instanceof Error ? error.message : String(error);
      }
      let sourceFiles: number | null = null;
      let sharedSourceFilesKept: number | null = null;
      if (row.kind === 'mongo' && found.length > 0) {
        try {
          const handle = await connect(row);
          const unshared = new Set<string>();
          const shared = new Set<string>();
          const docs: Document[] = [];
          for (const run of found) {
            const doc = await serverDoc(handle, run);
            if (doc !== null) docs.push(doc);
          }
          const batch = docs.map((doc) => doc._id as unknown);
          for (const doc of docs) {
            const plan = await planRunDelete(
              handle.db,
              handle.collections.runs,
              doc,
              handle.collections.legacyBucket,
              batch,
            );
            for (const id of plan.unsharedSources) unshared.add(id.toHexString());
            for (const id of plan.sharedSources) shared.add(id.toHexString());
          }
          // A file shared only among the runs being deleted goes too (deleted one by one,
          // the last run's count is 1), so the other runs of the batch do not keep it.
          sourceFiles = unshared.size;
          sharedSourceFilesKept = shared.size;
        } catch (error) {
          refusal ??= error instanceof Error ? error.message : String(error);
        }
      }
      const preview: Omit<DeletePreview, 'message'> = {
        source,
        kind: row.kind,
        action: row.kind === 'mongo' ? 'delete' : 'trash',
        runs: found.map((run) => ({
          id: run.run_id,
          status: run.status,
          heartbeat: run.heartbeat,
          experiment: run.experiment,
        })),
        missing,
        metricSeries,
        metricPoints,
        artifactFiles,
        sourceFiles,
        sharedSourceFilesKept,
        runsWithRawData,
        refusal,
      };
      return { ...preview, message: deletePreviewMessage(preview, row.location) };
    },

    async deleteRuns(args) {
      const { source, ids, expected } = deps.parse('deleteRuns', args);
      const row = requireSource(source);
      await deps.assertWritable(source);
      const { found, missing } = cachedRuns(source, ids);
      if (missing.length > 0) {
        throw new AltarError(
          'NOT_FOUND',
          `Source "${source}" has no run ${missing.map((id) => `"${id}"`).join(', ')}; ` +
            'nothing was deleted.',
        );
      }
      const expectedById = new Map((expected ?? []).map((stamp) => [stamp.id, stamp]));
      return exclusive(source, async () => {
        if (row.kind === 'folder') {
          const changed: { id: string; why: string }[] = [];
          for (const run of found) {
            checkRunFolderName(run.run_id);
            const why = checkUnchanged(
              expectedById.get(run.run_id),
              await folderStamp(row, run.run_id),
            );
            if (why !== null) changed.push({ id: run.run_id, why });
          }
          if (changed.length > 0) throw conflict(source, changed);
          const trashed: { id: string; trashId: string }[] = [];
          try {
            for (const run of found) {
              const trashId = await moveRunToTrash(row.location, run.run_id, deps.now());
              trashed.push({ id: run.run_id, trashId });
            }
          } finally {
            // Whatever moved is gone from the cache too, also when a later move failed.
            dropFromCache(
              source,
              trashed.map((entry) => entry.id),
            );
          }
          return {
            deleted: trashed.map((entry) => entry.id),
            trashed,
            message:
              `Moved ${plural(trashed.length, 'run folder')} to ` +
              `${join(row.location, '.altar-trash')} (restore from the source menu).`,
          };
        }

        const handle = await connect(row);
        const docs: { run: RunDetailRow; doc: Document; plan: RunDeletePlan }[] = [];
        const gone: string[] = [];
        const changed: { id: string; why: string }[] = [];
        try {
          for (const run of found) {
            const doc = await serverDoc(handle, run);
            if (doc === null) {
              gone.push(run.run_id);
              continue;
            }
            const why = checkUnchanged(expectedById.get(run.run_id), mongoStamp(doc, run.run_id));
            if (why !== null) changed.push({ id: run.run_id, why });
            const plan = await planRunDelete(
              handle.db,
              handle.collections.runs,
              doc,
              handle.collections.legacyBucket,
            );
            docs.push({ run, doc, plan });
          }
        } catch (error) {
          throw offline(row, error);
        }
        if (changed.length > 0) throw conflict(source, changed);
        const deleted: string[] = [...gone];
        try {
          for (const { run, doc } of docs) {
            // Planned again right before: an earlier run of this batch may have been the
            // other reference of a source file, which is then this run's own.
            const plan = await planRunDelete(
              handle.db,
              handle.collections.runs,
              doc,
              handle.collections.legacyBucket,
            );
            await deleteMongoRun(handle.db, handle.collections, doc, plan);
            deleted.push(run.run_id);
          }
        } catch (error) {
          dropFromCache(source, deleted);
          throw offline(row, error);
        }
        dropFromCache(source, deleted);
        return {
          deleted,
          trashed: [],
          message:
            `Deleted ${plural(deleted.length, 'run')} from "${source}" ` +
            '(raw data in MinIO was not deleted).',
        };
      });
    },

    async listTrash(args) {
      const { source } = deps.parse('listTrash', args);
      const row = requireSource(source);
      if (row.kind !== 'folder') return { entries: [] };
      return { entries: await listTrash(row.location) };
    },

    async restoreRun(args) {
      const { source, trashId } = deps.parse('restoreRun', args);
      const row = requireSource(source);
      if (row.kind !== 'folder') {
        throw new AltarError('INVALID_ARGUMENT', `"${source}" is not a folder source: no trash.`);
      }
      await deps.assertWritable(source);
      const id = await restoreFromTrash(row.location, trashId);
      // The folder is back whatever the sync says; a failed sync is retried by the next one.
      await deps.onRunRestored(source, id).catch(() => undefined);
      return { id };
    },
  };
}

function parseObject(text: string): JsonObject {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : {};
  } catch {
    return {};
  }
}
