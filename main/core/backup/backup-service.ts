import { basename } from 'node:path';
import type { Db } from 'mongodb';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { ArtifactRow, SourceRow } from '../cache/cache-rows';
import type { ArtifactStream } from '../core-service';
import type { CacheStore } from '../cache/cache-store';
import type { MongoConnections } from '../mongo/mongo-connections';
import { idFromOrigin } from '../mongo/read-mongo-run';
import { mongoTarget, resolveCollections, runsCollectionName } from '../mongo/sync-mongo-source';
import type { DumpWriteSummary } from './bson-dump-writer';
import { backupIo } from './load-backup-io';
import type { S3Target } from '../raw-data/s3-storage';
import type { ImportSummary } from './mongo-importer';
import type { CollectionRole, SacredDocSet } from './sacred-doc-set';
import { BackupMeter } from './backup-meter';
import type { BackupHooks } from './backup-meter';
import type { BackupPhase } from '../../../shared/backup-progress';

/** A backup reaches a server that sync found reachable; give up sooner than a sync would. */
const CONNECT_TIMEOUT_MS = 15_000;
/** Failures that mean the server is out of reach now, so an export falls back to the cache. */
const OFFLINE_CODES = new Set(['CONNECTION_FAILED', 'TIMEOUT', 'SOURCE_UNAVAILABLE']);

export type { BackupHooks };
export type { BackupProgress } from '../../../shared/backup-progress';

/** The phase a collection's documents are reported under while an export writes them. */
const PHASE_OF_ROLE: Record<CollectionRole, BackupPhase> = {
  runs: 'runs',
  metrics: 'metrics',
  files: 'files',
  chunks: 'files',
  omniboard: 'omniboard',
};

export interface ExportSummary extends DumpWriteSummary {
  runs: number;
  omitted: string[];
  /** With `rawData`: the objects written under `DIR/raw_data/<bucket>/<key>` and their bytes. */
  rawDataFiles: number;
  rawDataBytes: number;
}

/** What `rawData` would take, told before starting: objects found, their bytes, what is not. */
export interface RawDataEstimate {
  objects: number;
  bytes: number;
  missing: string[];
}

export interface BackupService {
  /** Writes a source's runs (all, or those matching `where`) as a mongodump directory. */
  exportSource(
    args: { source: string; to: string; where?: string; gzip?: boolean; rawData?: boolean },
    hooks?: BackupHooks,
  ): Promise<ExportSummary>;
  /** The raw data (MinIO objects) the runs name, with sizes, before an export with rawData. */
  estimateRawData(
    args: { source: string; where?: string },
    hooks?: BackupHooks,
  ): Promise<RawDataEstimate>;
  /** Restores a mongodump directory into a MongoDB or folder source. */
  importDump(
    args: {
      from: string;
      to: string;
      database?: string;
      /** Upload `DIR/raw_data` to the target source's storage and point the runs at it. */
      rawData?: boolean;
      /** The bucket raw data goes to; default: the bucket each object came from. */
      bucket?: string;
    },
    hooks?: BackupHooks,
  ): Promise<ImportSummary & { rawDataFiles: number }>;
  /** Copies runs (all, or those matching `where`) from one source into another. */
  copyRuns(
    args: { from: string; to: string; where?: string },
    hooks?: BackupHooks,
  ): Promise<ImportSummary>;
}

export interface BackupDeps {
  store: CacheStore;
  connections: MongoConnections;
  /** The cache's run ids of a source matching a filter of the run table's language. */
  queryRunIds: (source: string, where: string) => Promise<string[]>;
  /** A MongoDB artifact's content from the artifact cache, for an export while offline. */
  cachedArtifact: (row: ArtifactRow) => Promise<ArtifactStream | null>;
  /** Refuses writing into a source the user has not allowed writes to. */
  assertWritable: (source: string) => void | Promise<void>;
  /** The S3/MinIO server of a source's storage profile (its raw data), with its secret. */
  storageTarget?: (source: string) => Promise<S3Target>;
}

export function createBackupService(deps: BackupDeps): BackupService {
  const storageOf = (source: string): Promise<S3Target> => {
    if (deps.storageTarget === undefined) {
      throw new AltarError('INVALID_ARGUMENT', 'Raw data needs a storage profile.');
    }
    return deps.storageTarget(source);
  };

  const requireSource = (name: string): SourceRow => {
    const row = deps.store.getSource(name);
    if (row === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    return row;
  };

  const database = async (row: SourceRow, signal?: AbortSignal): Promise<Db> => {
    const target = mongoTarget(row);
    try {
      const client = await deps.connections.client(target.profileId, {
        timeoutMs: CONNECT_TIMEOUT_MS,
        ...(signal === undefined ? {} : { signal }),
      });
      return client.db(target.database);
    } catch (error) {
      if (isAltarError(error)) throw error;
      throw deps.connections.classifyError(error, target.profileId);
    }
  };

  /** A source's runs as a doc set: every run, or the cached runs matching `where`. */
  const readSource = async (
    row: SourceRow,
    where: string | undefined,
    signal?: AbortSignal,
  ): Promise<SacredDocSet> => {
    const io = await backupIo();
    const keys = where === undefined ? null : await deps.queryRunIds(row.name, where);
    if (row.kind === 'folder') {
      const dirs =
        keys === null
          ? null
          : keys.map((key) => {
              const dir = deps.store.getRun(row.name, key)?.dir ?? null;
              return dir === null ? key : basename(dir);
            });
      return io.readFolderDocSet(row.location, { runDirs: dirs });
    }
    const ids =
      keys === null
        ? null
        : keys.flatMap((key) => {
            const origin = deps.store.getRun(row.name, key)?.origin ?? null;
            return origin === null ? [] : [idFromOrigin(origin)];
          });
    try {
      const db = await database(row, signal);
      return await io.readMongoDocSet(db, { prefix: row.prefix, runIds: ids });
    } catch (failure) {
      const error = isAltarError(failure)
        ? failure
        : deps.connections.classifyError(failure, mongoTarget(row).profileId);
      if (!isAltarError(error) || !OFFLINE_CODES.has(error.code)) throw error;
      // Offline: what the cache holds, saying what it could not include.
      const set = await io.readCacheDocSet({
        store: deps.store,
        source: row.name,
        runsCollection: runsCollectionName(row.prefix),
        metricsCollection: row.prefix === null ? 'metrics' : `${row.prefix}_metrics`,
        keys,
        cachedArtifact: deps.cachedArtifact,
        reason: `The server of "${row.name}" could not be reached (${error.message})`,
      });
      return { ...set, database: mongoTarget(row).database };
    }
  };

  /** Writes a doc set into a source, after checking that writes to it are allowed. */
  const writeSource = async (
    row: SourceRow,
    set: SacredDocSet,
    label: string,
    hooks: BackupHooks,
    meter = new BackupMeter(hooks),
  ): Promise<ImportSummary> => {
    const io = await backupIo();
    await deps.assertWritable(row.name);
    const options = { label, meter };
    const finish = (summary: ImportSummary): ImportSummary => {
      meter.report('done', summary.runsAdded, summary.runsAdded);
      return summary;
    };
    if (row.kind === 'folder') return finish(await io.writeFolderRuns(row.location, set, options));
    const db = await database(row, hooks.signal);
    try {
      const resolved = await resolveCollections(db, row.prefix);
      const runs = resolved.runs ?? runsCollectionName(row.prefix);
      // Sacred ≥ 0.8.2 keeps a prefix's metrics beside its runs; 0.6-style `P.runs` shares `metrics`.
      const metrics =
        row.prefix === null || runs.endsWith('.runs')
          ? resolved.metrics.collection
          : `${row.prefix}_metrics`;
      return finish(await io.importIntoMongo(db, set, { runs, metrics }, options));
    } catch (error) {
      if (isAltarError(error) || (error instanceof Error && error.name === 'AbortError'))
        throw error;
      throw deps.connections.classifyError(error, mongoTarget(row).profileId);
    }
  };

  return {
    async exportSource(args, hooks = {}) {
      const io = await backupIo();
      const row = requireSource(args.source);
      const meter = new BackupMeter(hooks);
      meter.report('planning', 0, null);
      const set = await readSource(row, args.where, hooks.signal);
      let runs = 0;
      const roleOf = new Map(set.collections.map((c) => [c.name, c.role]));
      const phaseOf = (name: string): BackupPhase => PHASE_OF_ROLE[roleOf.get(name) ?? 'runs'];
      let bytesBefore = 0;
      const summary = await io.writeBsonDump(args.to, set, {
        gzip: args.gzip === true,
        onCollection: (name) => {
          bytesBefore = meter.bytesDone;
          meter.report(phaseOf(name), 0, null);
        },
        onDocuments: (name, count, bytes) => {
          meter.bytesDone = bytesBefore + bytes;
          meter.report(phaseOf(name), count, null);
        },
        ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      });
      for (const collection of set.collections) {
        if (collection.role === 'runs') {
          runs +=
            summary.collections.find((written) => written.name === collection.name)?.documents ?? 0;
        }
      }
      const omitted = [...set.omitted];
      let rawDataFiles = 0;
      let rawDataBytes = 0;
      if (args.rawData === true) {
        const storage = await storageOf(row.name);
        const plan = await io.planRawData(storage, await io.rawObjectsOf(set), hooks.signal);
        meter.bytesTotal = meter.bytesDone + plan.bytes;
        const written = await io.downloadRawData(storage, plan, args.to, meter);
        omitted.push(...plan.missing, ...written.omitted);
        rawDataFiles = written.files;
        rawDataBytes = plan.bytes;
      }
      meter.report('done', runs, runs);
      return { ...summary, runs, omitted, rawDataFiles, rawDataBytes };
    },

    async estimateRawData(args, hooks = {}) {
      const io = await backupIo();
      const row = requireSource(args.source);
      const set = await readSource(row, args.where, hooks.signal);
      const plan = await io.planRawData(
        await storageOf(row.name),
        await io.rawObjectsOf(set),
        hooks.signal,
      );
      return { objects: plan.objects.length, bytes: plan.bytes, missing: plan.missing };
    },

    async importDump(args, hooks = {}) {
      const io = await backupIo();
      const row = requireSource(args.to);
      let set = await io.readBsonDump(
        args.from,
        args.database === undefined ? {} : { database: args.database },
      );
      const meter = new BackupMeter(hooks);
      let rawDataFiles = 0;
      if (args.rawData === true) {
        await deps.assertWritable(row.name);
        // The objects first, then the runs naming them: a run never points at nothing.
        const uploaded = await io.uploadRawData(
          await storageOf(row.name),
          args.from,
          args.bucket ?? null,
          meter,
        );
        set = io.withRawDataBuckets(set, uploaded.moved);
        rawDataFiles = uploaded.files;
      }
      const summary = await writeSource(
        row,
        set,
        `dump ${basename(args.from)}/${set.database}`,
        hooks,
        meter,
      );
      return { ...summary, rawDataFiles };
    },

    async copyRuns(args, hooks = {}) {
      if (args.from === args.to) {
        throw new AltarError(
          'INVALID_ARGUMENT',
          'Copying a source into itself adds nothing; name another source with --to.',
        );
      }
      const from = requireSource(args.from);
      const to = requireSource(args.to);
      const set = await readSource(from, args.where, hooks.signal);
      return writeSource(to, set, `source ${from.name}`, hooks);
    },
  };
}
