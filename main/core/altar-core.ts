import { resolve } from 'node:path';
import type { z } from 'zod';
import packageJson from '../../package.json';
import type { methods } from '../../shared/contract';
import type { AppInfo, MethodName, SyncSummary } from '../../shared/contract';
import { apiMethodNames } from '../../shared/api-names';
import { AltarError } from '../../shared/errors';
import { awaitingContractChecks, contractChecks, loadContractChecks } from './contract-checks';
import type { EventName, EventPayload, Unsubscribe } from '../../shared/events';
import { ARTIFACT_CACHE_METHODS, createArtifactsService } from './artifacts/artifacts-service';
import { createBackupService } from './backup/backup-service';
import type { BackupService } from './backup/backup-service';
import { BACKUP_METHODS, createBackupMethodsService } from './backup/backup-methods-service';
import { openRunArtifactStreams } from './artifacts/run-artifact-streams';
import { CacheStore } from './cache/cache-store';
import { MetricRangeStore } from './cache/metric-range-store';
import type { ArtifactStream, CoreOptions, CoreService } from './core-service';
import { cacheFilePath } from './data-dir';
import { EventBus } from './event-bus';
import { createMetricsService } from './metrics/metrics-service';
import { RUN_READ_METHODS, createRunReadsService } from './runs/run-reads-service';
import { createMongoSourcesService } from './mongo/mongo-sources-service';
import { PROFILE_METHODS, createProfilesService } from './mongo/profiles-service';
import { RUN_TABLE_METHODS, createRunTableService } from './query/run-table-service';
import { RAW_DATA_METHODS, createRawDataService } from './raw-data/raw-data-service';
import { TrustedFolderStore } from './cache/trusted-folder-store';
import { RunNotificationStore } from './cache/run-notification-store';
import { watchExternalChanges } from './cache/external-change-watch';
import { allowedFoldersOf } from './files/allowed-folders';
import { checkNamedFile } from './files/named-file';
import { regularFileStream } from './files/regular-file';
import { MemorySecretStore } from './secrets/memory-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { createSettingsService } from './settings/settings-service';
import { createDeleteRunsService } from './writes/delete-runs';
import { createSendService } from './send/send-service';
import { SEND_FILES_METHODS, createSendFilesService } from './send-files/send-files-service';
import { assertWritable } from './writes/source-writes';
import { createSyncControl } from './sync/sync-control';
import { settledWithin } from './settled-within';
import { CLOSE_GRACE_MS } from './close-grace';
import { WRITES_METHODS, createWritesService } from './writes/writes-service';
import { parsedMethods } from './parsed-methods';
import { LAB_USER_METHODS, createLabUsersService } from './users/lab-users-service';
import { syncFolderSource } from './sync/sync-folder-source';
import { SOURCES_METHODS, createSourcesService } from './sources/sources-service';

/** The core as the CLI and tests get it: the service plus what only a host may need. */
export interface AltarCore extends CoreService {
  /** Where a corrupt or incompatible cache file was moved at start, or null. */
  readonly cacheRecoveredFrom: string | null;
  /** Loads the run table's default view once, so the window's first query finds it ready. */
  warmUp(): void;
  /** Export, import and copy of runs in mongodump's format (CLI only so far). */
  readonly backup: BackupService;
}

export { DEFAULT_DEMO_RUNS, DEMO_SOURCE } from './sources/sources-service';
export { SOURCE_FILE_CAP_BYTES } from './runs/run-reads-service';

export function createAltarCore(options: CoreOptions): AltarCore {
  const now = options.now ?? Date.now;
  const dataDir = resolve(options.dataDir);
  const store = CacheStore.open(cacheFilePath(dataDir), now);
  const metricRanges = new MetricRangeStore(store.database);
  const bus = new EventBus();
  // Another process's writes (the CLI adding or syncing a source) reach open windows: the
  // window reloads its sources and rows on sourcesChanged, as after its own changes.
  const shownState = store.database.prepare(
    `SELECT (SELECT group_concat(name || '|' || ifnull(last_sync_at, '') || '|' ||
               ifnull(last_error, ''), ';') FROM sources)
       || '/' || ifnull((SELECT group_concat(source || ':' || version, ';') FROM run_versions), '')`,
  );
  const externalChanges = watchExternalChanges(
    store.database,
    () => bus.emit('sourcesChanged', {}),
    { fingerprint: () => String(shownState.pluck().get() ?? '') },
  );
  const runTable = createRunTableService({
    store,
    now,
    emitProgress: (progress) => bus.emit('exportProgress', progress),
  });
  const secrets: SecretStore = options.secrets ?? new MemorySecretStore();
  const profiles = createProfilesService({
    store,
    secrets,
    passwordFallback: options.passwordFallback,
    now,
  });
  const mongo = createMongoSourcesService({
    store,
    connections: profiles.connections,
    getProfile: (id) => profiles.profiles.get(id),
    now,
  });
  const settings = createSettingsService(store);
  const trustedFolders = new TrustedFolderStore(store.database);
  const runNotifications = new RunNotificationStore(store.database);
  const writes = createWritesService({
    ...{ store, now, connections: profiles.connections },
    runsChanged: (source, runIds) => bus.emit('runsChanged', { source, runIds }),
    sourcesChanged: () => bus.emit('sourcesChanged', {}),
  });
  /** The folders whose files the runs of a source may name (contained-path.ts). */
  const allowedFolders = (name: string): string[] => {
    const row = store.getSource(name);
    return row === null ? [] : allowedFoldersOf(store.database, row);
  };
  const rawData = createRawDataService({
    allowedFolders,
    store,
    secrets,
    secretFallback: options.storageSecretFallback,
    now,
  });
  const artifacts = createArtifactsService({
    store,
    dataDir,
    mongo,
    capBytes: () => settings.get().artifactCacheBytes,
    now,
    onProgress: (progress) => bus.emit('artifactDownloadProgress', progress),
    track: (promise) => track(promise),
  });
  const running = new Set<Promise<unknown>>();
  let closing = false;

  /** Every method validates like the hosts do, so direct calls fail the same way. */
  const parse = <M extends MethodName>(method: M, args: unknown): ParsedArgs<M> => {
    if (closing) throw new AltarError('INTERNAL', 'The Altar core has been closed.');
    const checked = contractChecks().checkMethodArgs(method, args);
    if (!checked.ok) throw new AltarError('INVALID_ARGUMENT', checked.message);
    return checked.data as ParsedArgs<M>;
  };

  const requireRun = (source: string, id: string) => {
    sources.requireSource(source);
    const run = store.getRun(source, id);
    if (run === null) {
      throw new AltarError('NOT_FOUND', `Source "${source}" has no run "${id}".`);
    }
    return run;
  };

  const metricsService = createMetricsService({ store, ranges: metricRanges, parse, requireRun });
  const runReads = createRunReadsService({
    ...{ store, metricRanges, now, requireRun, allowedFolders, mongo, artifacts },
    requireSource: (name) => sources.requireSource(name),
  });

  const track = <T>(promise: Promise<T>): Promise<T> => {
    running.add(promise);
    const forget = (): void => {
      running.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  };

  const syncs = createSyncControl({
    store,
    bus,
    now,
    syncSource: (hooks) =>
      store.getSource(hooks.source)?.kind === 'mongo'
        ? // Edits made offline are written once the server answered a whole sync.
          mongo.syncSource(hooks).then(async (summary) => {
            await writes.applyPending(hooks.source);
            return summary;
          })
        : syncFolderSource(hooks),
    refreshLive: (name) => mongo.refreshLive(name),
    isClosing: () => closing,
    track,
    background: options.background,
    settings: () => settings.get(),
  });
  // A long-running door (a window, `serve`) opens the run table next: load its first page's
  // columns now, after the current tick so the door can start serving the page first.
  if (options.background === true && options.warmUpOnStart !== false) {
    const warm = setTimeout(() => core.warmUp(), 0);
    warm.unref();
  }
  // The column picker's catalog of a source that has none (a first sync, an upgraded cache) is
  // built in the background, in slices, so the picker's first open finds it ready.
  const prepareCatalogs = (): void => {
    if (closing || options.background !== true) return;
    void track(runTable.prepareColumnCatalogs()).catch((error: unknown) => {
      if (!closing) console.warn('altar-viewer: could not build the column catalog', error);
    });
  };
  bus.on('runsChanged', prepareCatalogs);
  settings.onChange(() => syncs.poke());
  // A weak keystore (Linux without a keyring) writes passwords only if the user opted in.
  const applyWeakKeystoreChoice = (): Promise<void> =>
    secrets.allowWeakKeystore?.(settings.get().rememberPasswordsOnWeakKeystore) ??
    Promise.resolve();
  void track(applyWeakKeystoreChoice()).catch((error: unknown) =>
    console.warn('altar-viewer: could not apply the password setting', error),
  );
  bus.on('sourcesChanged', () => syncs.poke());
  const syncOne = (name: string): Promise<SyncSummary> => syncs.syncOne(name);
  const sources = createSourcesService({
    ...{ store, dataDir, now, trustedFolders, runNotifications, mongo, syncs, track },
    isWritable: (name) => writes.isWritable(name),
    removeStorageProfile: (source) => rawData.removeStorageProfile({ source }),
    sourcesChanged: () => bus.emit('sourcesChanged', {}),
  });
  const deletes = createDeleteRunsService({
    ...{ store, parse, now, connections: profiles.connections },
    assertWritable: (source) => assertWritable(store.database, source),
    onRunsRemoved: (source, runIds) => bus.emit('runsChanged', { source, runIds }),
    onRunRestored: (source) => syncOne(source),
  });
  const send = createSendService({
    ...{ connections: profiles.connections, now, getSource: (name) => store.getSource(name) },
    assertWritable: (source) => assertWritable(store.database, source),
    storage: { target: rawData.storageTarget, localRoots: rawData.localRoots },
    syncSource: syncOne,
    emitProgress: (progress) => bus.emit('sendProgress', progress),
  });

  const sendFilesDeps = {
    hasSource: (name: string) => store.getSource(name) !== null,
    assertWritable: (source: string) => assertWritable(store.database, source),
  };
  const labUsers = createLabUsersService({
    ...{ store, connections: profiles.connections },
    profileUri: (id) => profiles.profiles.get(id)?.uri ?? null,
  });

  /** The cached run ids of a source, all or a filter's: what a backup or copy takes. */
  const runIdsOf = async (source: string, where: string | null): Promise<string[]> =>
    (
      await core.queryRuns({
        sources: [source],
        ...(where === null ? {} : { where }),
        limit: 1_000_000,
        columns: [],
      })
    ).rows.map((row) => row.id);
  const backupMethods = createBackupMethodsService({
    ...{ store, track, syncSource: syncOne, backup: () => core.backup, runIdsOf },
    emitProgress: (event) => bus.emit('backupProgress', event),
  });

  const core: AltarCore = {
    cacheRecoveredFrom: store.recoveredFrom,
    backup: createBackupService({
      store,
      connections: profiles.connections,
      queryRunIds: runIdsOf,
      cachedArtifact: (row) => artifacts.openMongoArtifact(row),
      assertWritable: (source) => assertWritable(store.database, source),
      storageTarget: rawData.storageTarget,
    }),

    warmUp() {
      if (closing) return;
      loadContractChecks().catch((error: unknown) =>
        console.warn('altar-viewer: could not load the contract checks', error),
      );
      runTable.warmUp();
      prepareCatalogs();
    },

    async getAppInfo(args) {
      parse('getAppInfo', args);
      const info: AppInfo = {
        version: packageJson.version,
        dataDir,
        door: options.door,
        // Only when it happened: the banner in the UI shows for exactly this case.
        ...(store.recoveredFrom === null ? {} : { cacheRecoveredFrom: store.recoveredFrom }),
        secretStoreStatus: secrets.status(),
      };
      return info;
    },

    ...parsedMethods(SOURCES_METHODS, sources, parse),
    ...parsedMethods(RUN_READ_METHODS, runReads, parse),

    ...metricsService,
    previewSend: async (args) => send.previewSend(parse('previewSend', args)),
    sendRuns: async (args) => track(send.sendRuns(parse('sendRuns', args))),
    cancelSend: async (args) => send.cancelSend(parse('cancelSend', args)),
    ...deletes,
    ...parsedMethods(LAB_USER_METHODS, labUsers, parse),
    ...parsedMethods(BACKUP_METHODS, backupMethods, parse),
    ...parsedMethods(SEND_FILES_METHODS, createSendFilesService(sendFilesDeps), parse),

    ...parsedMethods(RUN_TABLE_METHODS, runTable, parse),
    ...parsedMethods(PROFILE_METHODS, profiles, parse),
    ...parsedMethods(RAW_DATA_METHODS, rawData, parse),
    ...parsedMethods(WRITES_METHODS, writes, parse),

    async getSettings(args) {
      parse('getSettings', args);
      return settings.get();
    },
    async updateSettings(args) {
      const update = parse('updateSettings', args);
      const updated = settings.update(update);
      if (update.rememberPasswordsOnWeakKeystore !== undefined) await applyWeakKeystoreChoice();
      await artifacts.enforceCap();
      return updated;
    },
    ...parsedMethods(ARTIFACT_CACHE_METHODS, artifacts, parse),

    async openArtifact(id: string): Promise<ArtifactStream | null> {
      if (closing || typeof id !== 'string') return null;
      const row = store.getArtifact(id);
      if (row !== null && row.locator !== null) return artifacts.openMongoArtifact(row);
      if (row === null || row.abs_path === null) return null;
      let checked;
      try {
        checked = await checkNamedFile(
          row.abs_path,
          `artifact "${row.name}"`,
          allowedFolders(row.source),
          row.source,
        );
      } catch (error) {
        if (error instanceof AltarError && error.code === 'NOT_FOUND') return null;
        throw error;
      }
      const { realPath, size, within } = checked;
      return {
        name: row.name,
        size,
        contentType: row.content_type ?? 'application/octet-stream',
        // `end` is inclusive, as in HTTP Range headers. The real path, checked again once open.
        open: (range) => regularFileStream(realPath, range, within),
      };
    },

    async openRawData(ref) {
      if (closing) return null;
      return rawData.openRawData(ref);
    },

    openRunArtifacts(source: string, runId: string): Promise<ArtifactStream[] | null> {
      return openRunArtifactStreams(core, source, runId);
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
      return bus.on(event, listener);
    },

    async close() {
      if (closing) return;
      closing = true;
      externalChanges.stop();
      runTable.stopBackgroundWork();
      // No scheduled sync starts from here on; the running ones are waited for below.
      const schedulerStopped = syncs.stop();
      await artifacts.close();
      // A sync stops at its next run, a send after its run. What still runs after the grace
      // waits on a server that does not answer (a hung lab server): closing the MongoDB
      // connections ends it at once, so a quit or a Ctrl+C never waits for the driver's
      // 60 s socket timeout, once per read.
      await settledWithin(running, CLOSE_GRACE_MS);
      await profiles.close();
      await schedulerStopped;
      await Promise.allSettled([...running]);
      bus.clear();
      store.close();
    },
  };
  // The argument checks (zod) load on the first call or in warmUp, after `serve`'s URL.
  return awaitingContractChecks(core, apiMethodNames);
}

type ParsedArgs<M extends MethodName> = z.output<(typeof methods)[M]['args']>;
