import { access, constants } from 'node:fs/promises';
import type { z } from 'zod';
import type { methods } from '../../../shared/contract';
import type { EditField, RunEdit, SourceWrites } from '../../../shared/contract/writes-methods';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { RunDetailRow, SourceRow } from '../cache/cache-rows';
import type { CacheStore } from '../cache/cache-store';
import type { MongoConnections } from '../mongo/mongo-connections';
import { mongoTarget, resolveCollections, runsCollectionName } from '../mongo/sync-mongo-source';
import { checkUserCanWrite } from './mongo-privileges';
import { runsCollectionOf, serverAnnotations, setServerAnnotation } from './mongo-run-annotations';
import { PendingEditStore, type EditValue } from './pending-edit-store';
import { writeRunJsonOmniboard } from './run-json-omniboard';
import { SourceWritesStore } from './source-writes';

/** A write waits at most this long for the server before the edit is kept as pending. */
const WRITE_TIMEOUT_MS = 5000;
/**
 * After an edit found the server unreachable, further edits of its sources wait at once for
 * this long instead of each waiting for a timeout (a user tagging runs one after the other).
 */
const OFFLINE_FAST_PENDING_MS = 30_000;
/** Failures that mean "the server cannot be reached now": the edit waits for the next sync. */
const OFFLINE_CODES = new Set(['CONNECTION_FAILED', 'TIMEOUT', 'PASSWORD_REQUIRED']);

type Args<M extends keyof typeof methods> = z.output<(typeof methods)[M]['args']>;
type Result<M extends keyof typeof methods> = z.output<(typeof methods)[M]['result']>;

export interface WritesDeps {
  store: CacheStore;
  connections: MongoConnections;
  now: () => number;
  /** Cached runs changed (the table and open run pages reload them). */
  runsChanged: (source: string, runIds: string[]) => void;
  sourcesChanged: () => void;
}

export interface WritesService {
  setSourceWrites(args: Args<'setSourceWrites'>): Promise<Result<'setSourceWrites'>>;
  setTags(args: Args<'setTags'>): Promise<Result<'setTags'>>;
  setNotes(args: Args<'setNotes'>): Promise<Result<'setNotes'>>;
  listTags(args: Args<'listTags'>): Promise<Result<'listTags'>>;
  listPendingEdits(args: Args<'listPendingEdits'>): Promise<Result<'listPendingEdits'>>;
  resolveEditConflict(args: Args<'resolveEditConflict'>): Promise<Result<'resolveEditConflict'>>;
  /** Whether writes of a source are on (SourceInfo.writable). */
  isWritable(source: string): boolean;
  /**
   * After a successful sync of a MongoDB source: writes its pending edits whose run did not
   * change on the server since, and marks the others as conflicts (nothing is overwritten).
   */
  applyPending(source: string): Promise<void>;
}

/** One change to a run's tags or notes, computed from the value it applies to. */
type Change = (current: EditValue) => EditValue;

export function createWritesService(deps: WritesDeps): WritesService {
  const { store, connections } = deps;
  const db = store.database;
  const flags = new SourceWritesStore(db);
  const pending = new PendingEditStore(db);
  const setCachedTags = db.prepare('UPDATE runs SET tags = ? WHERE source = ? AND run_id = ?');
  const setCachedNotes = db.prepare('UPDATE runs SET comment = ? WHERE source = ? AND run_id = ?');
  const nowIso = (): string => new Date(deps.now()).toISOString();
  /** When and why each profile's server was last found unreachable by a write. */
  const unreachable = new Map<string, { at: number; error: AltarError }>();

  const requireSource = (name: string): SourceRow => {
    const row = store.getSource(name);
    if (row === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    return row;
  };
  const requireRun = (source: string, id: string): RunDetailRow => {
    const run = store.getRun(source, id);
    if (run === null) throw new AltarError('NOT_FOUND', `Source "${source}" has no run "${id}".`);
    return run;
  };
  const cachedValue = (run: RunDetailRow, field: EditField): EditValue =>
    field === 'tags' ? (JSON.parse(run.tags) as string[]) : (run.comment ?? '');
  const showInCache = (source: string, id: string, field: EditField, value: EditValue): void => {
    if (field === 'tags') setCachedTags.run(JSON.stringify(value), source, id);
    else setCachedNotes.run(value === '' ? null : value, source, id);
  };
  const editOf = (source: string, id: string): RunEdit => {
    const run = requireRun(source, id);
    return {
      source,
      id,
      tags: JSON.parse(run.tags) as string[],
      notes: run.comment ?? '',
      state: pending.stateOf(source, id),
    };
  };

  /** The connection's view of a MongoDB source's runs collection, or the classified failure. */
  const openRuns = async (row: SourceRow, options: { fastFail: boolean }) => {
    const target = mongoTarget(row);
    const down = unreachable.get(target.profileId);
    if (options.fastFail && down !== undefined && deps.now() - down.at < OFFLINE_FAST_PENDING_MS) {
      throw down.error;
    }
    try {
      const client = await connections.client(target.profileId, { timeoutMs: WRITE_TIMEOUT_MS });
      const runs = await runsCollectionOf(client.db(target.database), target.prefix);
      unreachable.delete(target.profileId);
      return runs;
    } catch (error) {
      throw noteReachability(target.profileId, classify(error, target.profileId));
    }
  };
  /** Remembers an offline failure (see OFFLINE_FAST_PENDING_MS); returns the error. */
  const noteReachability = (profileId: string, error: AltarError): AltarError => {
    if (isOffline(error)) unreachable.set(profileId, { at: deps.now(), error });
    return error;
  };
  const classify = (error: unknown, profileId: string): AltarError => {
    const classified = isAltarError(error) ? error : connections.classifyError(error, profileId);
    if (!isAltarError(classified)) return new AltarError('INTERNAL', classified.message);
    if (classified.code === 'FORBIDDEN') {
      return new AltarError('READ_ONLY', `The server refused the write: ${classified.message}`);
    }
    return classified;
  };
  const isOffline = (error: AltarError): boolean => OFFLINE_CODES.has(error.code);

  /**
   * Applies one change to each run: on a folder source in run.json, on a MongoDB source on the
   * server (read, changed, `$set`), or, when the server cannot be reached, to the cached value
   * as a pending edit. The cache shows the result at once either way.
   */
  const edit = async (
    source: string,
    ids: readonly string[],
    field: EditField,
    change: Change,
  ): Promise<RunEdit[]> => {
    const row = requireSource(source);
    flags.assertWritable(source);
    const runs = ids.map((id) => requireRun(source, id));
    const changed: string[] = [];
    try {
      if (row.kind === 'folder') {
        for (const run of runs) {
          if (run.dir === null) {
            throw new AltarError('NOT_FOUND', `Run "${run.run_id}" of "${source}" has no folder.`);
          }
          const value = change(cachedValue(run, field));
          await writeRunJsonOmniboard(run.dir, { [field]: value });
          showInCache(source, run.run_id, field, value);
          changed.push(run.run_id);
        }
        return runs.map((run) => editOf(source, run.run_id));
      }
      const target = mongoTarget(row);
      let collection: Awaited<ReturnType<typeof openRuns>> | null = null;
      let offline: AltarError | null = null;
      try {
        collection = await openRuns(row, { fastFail: true });
      } catch (error) {
        if (!(error instanceof AltarError) || !isOffline(error)) throw error;
        offline = error;
      }
      for (const run of runs) {
        if (run.origin === null) {
          throw new AltarError('NOT_FOUND', `Run "${run.run_id}" of "${source}" has no _id.`);
        }
        if (collection !== null && offline === null) {
          try {
            const server = await serverAnnotations(collection, run.origin, WRITE_TIMEOUT_MS);
            if (server === null) {
              throw new AltarError(
                'NOT_FOUND',
                `Run "${run.run_id}" is gone from ${source}'s server (deleted there); sync to see it go.`,
              );
            }
            const value = change(server[field]);
            await setServerAnnotation(collection, run.origin, field, value, WRITE_TIMEOUT_MS);
            // A new edit made online settles whatever waited for this field.
            pending.forget(source, run.run_id, field);
            showInCache(source, run.run_id, field, value);
            changed.push(run.run_id);
            continue;
          } catch (error) {
            const classified = noteReachability(
              target.profileId,
              classify(error, target.profileId),
            );
            if (!isOffline(classified)) throw classified;
            offline = classified;
          }
        }
        const base = cachedValue(run, field);
        const value = change(base);
        pending.keep({
          source,
          id: run.run_id,
          field,
          mine: value,
          base,
          madeAt: nowIso(),
          lastError: offline?.message ?? null,
        });
        showInCache(source, run.run_id, field, value);
        changed.push(run.run_id);
      }
      return runs.map((run) => editOf(source, run.run_id));
    } finally {
      if (changed.length > 0) deps.runsChanged(source, changed);
    }
  };

  const applyPending = async (source: string): Promise<void> => {
    const row = store.getSource(source);
    if (row === null || row.kind !== 'mongo' || !flags.isWritable(source)) return;
    const waiting = pending.list(source).filter((item) => item.state === 'pending');
    if (waiting.length === 0) return;
    const target = mongoTarget(row);
    let collection;
    try {
      collection = await openRuns(row, { fastFail: false });
    } catch {
      return; // still unreachable: the edits wait for the next sync
    }
    const changed = new Set<string>();
    for (const item of waiting) {
      const run = store.getRun(source, item.id);
      if (run === null || run.origin === null) {
        // Gone from the server (a sync removed it): nothing left to annotate.
        pending.forget(source, item.id, item.field);
        continue;
      }
      try {
        const server = await serverAnnotations(collection, run.origin, WRITE_TIMEOUT_MS);
        if (server === null) {
          pending.forget(source, item.id, item.field);
          continue;
        }
        const theirs = server[item.field];
        if (sameValue(theirs, item.base) || sameValue(theirs, item.mine)) {
          await setServerAnnotation(
            collection,
            run.origin,
            item.field,
            item.mine,
            WRITE_TIMEOUT_MS,
          );
          pending.forget(source, item.id, item.field);
        } else {
          pending.markConflict(source, item.id, item.field, theirs);
        }
        changed.add(item.id);
      } catch (error) {
        const classified = classify(error, target.profileId);
        pending.noteFailure(source, item.id, item.field, classified.message);
        if (isOffline(classified)) break;
      }
    }
    if (changed.size > 0) deps.runsChanged(source, [...changed]);
  };

  return {
    isWritable: (source) => flags.isWritable(source),
    applyPending,

    async setSourceWrites({ source, enabled }) {
      const row = requireSource(source);
      if (!enabled) {
        flags.set(source, false, nowIso());
        deps.sourcesChanged();
        return { source, writable: false, userCanWrite: null, message: null };
      }
      const check = await checkSource(row);
      const writable = check.userCanWrite !== false;
      flags.set(source, writable, nowIso());
      deps.sourcesChanged();
      return { ...check, writable };
    },

    async setTags({ source, ids, tags, add, remove }) {
      const change: Change = (current) => {
        if (tags !== undefined) return unique(tags);
        const list = Array.isArray(current) ? current : [];
        const removed = new Set(remove ?? []);
        return unique([...list, ...(add ?? [])]).filter((item) => !removed.has(item));
      };
      return { runs: await edit(source, unique(ids), 'tags', change) };
    },

    async setNotes({ source, id, notes }) {
      const [result] = await edit(source, [id], 'notes', () => notes);
      if (result === undefined) throw new AltarError('INTERNAL', 'The note was not saved.');
      return result;
    },

    async listTags({ sources, search, limit }) {
      for (const name of sources ?? []) requireSource(name);
      const names = sources === undefined ? null : JSON.stringify(sources);
      const rows = db
        .prepare(
          `SELECT tag.value AS tag, count(DISTINCT runs.source || char(0) || runs.run_id) AS runs
             FROM runs, json_each(runs.tags) AS tag
            WHERE (@sources IS NULL OR runs.source IN (SELECT value FROM json_each(@sources)))
              AND tag.type = 'text'
              AND (@search IS NULL OR instr(lower(tag.value), lower(@search)) > 0)
            GROUP BY tag.value
            ORDER BY runs DESC, tag.value
            LIMIT @limit`,
        )
        .all({ sources: names, search: search ?? null, limit: limit ?? 1000 }) as {
        tag: string;
        runs: number;
      }[];
      return { tags: rows };
    },

    async listPendingEdits({ source }) {
      if (source !== undefined) requireSource(source);
      return { edits: pending.list(source ?? null) };
    },

    async resolveEditConflict({ source, id, field, keep }) {
      const row = requireSource(source);
      const waiting = pending.get(source, id, field);
      if (waiting === null) {
        throw new AltarError(
          'NOT_FOUND',
          `Run "${id}" of "${source}" has no waiting ${field} edit.`,
        );
      }
      if (keep === 'theirs') {
        pending.forget(source, id, field);
        showInCache(source, id, field, waiting.theirs ?? waiting.base);
        deps.runsChanged(source, [id]);
        return editOf(source, id);
      }
      flags.assertWritable(source);
      // Mine over theirs: write it now, or (offline) wait with theirs as the value seen.
      const theirs = waiting.theirs ?? waiting.base;
      try {
        const collection = await openRuns(row, { fastFail: true });
        const run = requireRun(source, id);
        if (run.origin === null) throw new AltarError('NOT_FOUND', `Run "${id}" has no _id.`);
        await setServerAnnotation(collection, run.origin, field, waiting.mine, WRITE_TIMEOUT_MS);
        pending.forget(source, id, field);
      } catch (error) {
        const classified = isAltarError(error)
          ? error
          : classify(error, mongoTarget(row).profileId);
        if (!isOffline(classified)) throw classified;
        pending.keep({
          source,
          id,
          field,
          mine: waiting.mine,
          base: theirs,
          madeAt: nowIso(),
          lastError: classified.message,
        });
      }
      deps.runsChanged(source, [id]);
      return editOf(source, id);
    },
  };

  /** Whether the user may write: the server's privileges, or the folder's permissions. */
  async function checkSource(row: SourceRow): Promise<Omit<SourceWrites, 'writable'>> {
    const source = row.name;
    if (row.kind === 'folder') {
      try {
        await access(row.location, constants.W_OK);
        return { source, userCanWrite: true, message: null };
      } catch (error) {
        const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
        if (reason === 'ENOENT') {
          return { source, userCanWrite: null, message: `the folder ${row.location} is missing` };
        }
        return {
          source,
          userCanWrite: false,
          message: `this user cannot write in ${row.location} (${reason})`,
        };
      }
    }
    const target = mongoTarget(row);
    try {
      const client = await connections.client(target.profileId, { timeoutMs: WRITE_TIMEOUT_MS });
      const database = client.db(target.database);
      // A new database (a source added to restore into) has no runs collection yet: the
      // privileges asked about are those on the one a restore would create.
      const runs =
        (await resolveCollections(database, target.prefix)).runs ??
        runsCollectionName(target.prefix);
      const check = await checkUserCanWrite(database, runs);
      return { source, userCanWrite: check.canWrite, message: check.message };
    } catch (error) {
      const classified = classify(error, target.profileId);
      return {
        source,
        userCanWrite: null,
        message: `could not ask the server what this user may do (${classified.message}); writes may be refused`,
      };
    }
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function sameValue(a: EditValue, b: EditValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The contract methods this service implements (composed by the core with parsedMethods). */
export const WRITES_METHODS = [
  'setSourceWrites',
  'setTags',
  'setNotes',
  'listTags',
  'listPendingEdits',
  'resolveEditConflict',
] as const;
