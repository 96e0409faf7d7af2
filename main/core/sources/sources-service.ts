import { statSync } from 'node:fs';
import { realpath, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, parse as parsePath, resolve } from 'node:path';
import type { SourceInfo, SyncSummary } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import type { CacheStore } from '../cache/cache-store';
import type { SourceRow } from '../cache/cache-rows';
import { staleRunsWarning } from '../cache/run-retry-store';
import type { RunNotificationStore } from '../cache/run-notification-store';
import type { TrustedFolderStore } from '../cache/trusted-folder-store';
import { demoFolderPath } from '../data-dir';
import { generateSacredFolder } from '../demo/generate-sacred-folder';
import { OUTSIDE_MARKER } from '../files/contained-path';
import { classifyPath } from '../folder/classify-handed-path';
import type { MongoSourcesService } from '../mongo/mongo-sources-service';
import type { ServiceMethods } from '../parsed-methods';
import { toSourceInfo } from '../run-shapes';
import type { SyncControl } from '../sync/sync-control';

export const DEMO_SOURCE = 'demo';
export const DEFAULT_DEMO_RUNS = 200;

/** The contract methods this service owns: the list of sources and what changes it. */
export const SOURCES_METHODS = [
  'listSources',
  'addFolderSource',
  'addMongoSource',
  'updateTrustedFolders',
  'updateSourceSettings',
  'removeSource',
  'syncSources',
  'cancelSync',
  'createDemo',
] as const;

export interface SourcesDeps {
  store: CacheStore;
  dataDir: string;
  now: () => number;
  trustedFolders: TrustedFolderStore;
  runNotifications: RunNotificationStore;
  mongo: Pick<MongoSourcesService, 'addMongoSource' | 'isOnline'>;
  syncs: Pick<SyncControl, 'syncOne' | 'cancel'>;
  isWritable: (source: string) => boolean;
  /** Forgets a source's storage profile and its secrets before the source goes. */
  removeStorageProfile: (source: string) => Promise<unknown>;
  sourcesChanged: () => void;
  /** The core's bookkeeping of running work, so close() waits for it. */
  track: <T>(promise: Promise<T>) => Promise<T>;
}

export interface SourcesService extends ServiceMethods<(typeof SOURCES_METHODS)[number]> {
  /** A source as the UI shows it; NOT_FOUND when there is none of that name. */
  sourceInfo(name: string): SourceInfo;
  requireSource(name: string): SourceRow;
}

export function createSourcesService(deps: SourcesDeps): SourcesService {
  const { store, now, trustedFolders, runNotifications, mongo, syncs } = deps;
  let creatingDemo = false;

  const requireSource = (name: string): SourceRow => {
    const source = store.getSource(name);
    if (source === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    return source;
  };
  const isOnline = (row: SourceRow): boolean =>
    row.kind === 'mongo' ? mongo.isOnline(row) : isDirectory(row.location);
  const infoOf = (row: SourceRow): SourceInfo =>
    toSourceInfo(
      row,
      store.isSyncing(row.name),
      isOnline(row),
      trustedFolders.list(row.name),
      runNotifications.isOn(row.name),
      deps.isWritable(row.name),
    );
  const sourceInfo = (name: string): SourceInfo => infoOf(requireSource(name));
  const stamp = (): string => new Date(now()).toISOString();

  return {
    sourceInfo,
    requireSource,

    async listSources() {
      return store.listSources().map(infoOf);
    },

    async addFolderSource({ name, path }) {
      const location = resolve(path);
      await requireFolder(location);
      const handed = await classifyPath(location);
      if (handed.kind === 'run') {
        throw new AltarError(
          'INVALID_ARGUMENT',
          `“${handed.runId}” is one run; add its parent folder? A source is a folder of ` +
            `Sacred runs, such as ${handed.parent}.`,
          { parentFolder: handed.parent },
        );
      }
      if (store.getSource(name) !== null) {
        throw new AltarError('ALREADY_EXISTS', `A source named "${name}" already exists.`);
      }
      store.addSource({ name, kind: 'folder', location, createdAt: stamp() });
      deps.sourcesChanged();
      return sourceInfo(name);
    },

    async addMongoSource(args) {
      await deps.track(mongo.addMongoSource({ ...args, prefix: args.prefix ?? null }));
      deps.sourcesChanged();
      // The source stays even when its first sync fails: its state and lastError say why.
      await syncs.syncOne(args.name).catch(() => undefined);
      return sourceInfo(args.name);
    },

    async updateTrustedFolders({ source, add, remove }) {
      requireSource(source);
      const adding = await Promise.all((add ?? []).map((path) => trustableFolder(path)));
      const removing = (remove ?? []).map((path) => resolve(path));
      trustedFolders.update(source, adding, removing, stamp());
      // What the runs may name changed: runs that were refused something (or, after a folder
      // is untrusted, every run) are read again at the next sync, so warnings and sizes follow.
      staleRunsWarning(store.database, source, removing.length > 0 ? '' : OUTSIDE_MARKER);
      deps.sourcesChanged();
      return sourceInfo(source);
    },

    async updateSourceSettings({ source, notifyFinishedRuns }) {
      requireSource(source);
      if (notifyFinishedRuns !== undefined) {
        runNotifications.set(source, notifyFinishedRuns, stamp());
      }
      deps.sourcesChanged();
      return sourceInfo(source);
    },

    async removeSource({ name }) {
      requireSource(name);
      if (store.isSyncing(name)) {
        throw new AltarError(
          'SYNC_IN_PROGRESS',
          `Source "${name}" is being synced; remove it when the sync has finished.`,
        );
      }
      await deps.removeStorageProfile(name);
      store.removeSource(name);
      deps.sourcesChanged();
      return { removed: true as const };
    },

    async syncSources({ names }) {
      const targets = names ?? store.listSources().map((row) => row.name);
      for (const name of targets) requireSource(name);
      const summaries: SyncSummary[] = [];
      let firstError: unknown = null;
      // One after the other: syncs compete for the same disk and the same SQLite writer.
      for (const name of new Set(targets)) {
        try {
          summaries.push(await syncs.syncOne(name));
        } catch (error) {
          firstError ??= error;
        }
      }
      if (firstError !== null) throw firstError;
      return summaries;
    },

    async cancelSync({ source }) {
      requireSource(source);
      return syncs.cancel(source);
    },

    async createDemo({ runs }) {
      if (creatingDemo || store.isSyncing(DEMO_SOURCE)) {
        throw new AltarError('SYNC_IN_PROGRESS', 'The demo source is being created or synced.');
      }
      creatingDemo = true;
      const folder = demoFolderPath(deps.dataDir);
      const work = async (): Promise<SourceInfo> => {
        await rm(folder, { recursive: true, force: true });
        // The core's clock, so that the demo's fresh RUNNING runs are fresh for the dead-run rule.
        await generateSacredFolder(folder, { runs: runs ?? DEFAULT_DEMO_RUNS, now: now() });
        const existing = store.getSource(DEMO_SOURCE);
        if (existing !== null && existing.location !== folder) store.removeSource(DEMO_SOURCE);
        if (store.getSource(DEMO_SOURCE) === null) {
          store.addSource({
            name: DEMO_SOURCE,
            kind: 'folder',
            location: folder,
            createdAt: stamp(),
          });
        }
        await syncs.syncOne(DEMO_SOURCE);
        return sourceInfo(DEMO_SOURCE);
      };
      return deps.track(work()).finally(() => {
        creatingDemo = false;
      });
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A folder the user asks to trust, as stored: absolute, existing, and narrower than the whole
 * disk or the home folder (trusting those would let any run name any file of the user).
 */
async function trustableFolder(path: string): Promise<string> {
  if (!isAbsolute(path)) {
    throw new AltarError('INVALID_ARGUMENT', `A trusted folder must be an absolute path: ${path}`);
  }
  const folder = resolve(path);
  await requireFolder(folder);
  const real = await realpath(folder);
  const home = await realpath(homedir()).catch(() => homedir());
  if (real === parsePath(real).root || real === home) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `${folder} is too wide to trust: every file of the user would be readable by any run. ` +
        'Trust the folder that holds the files instead.',
    );
  }
  return folder;
}

async function requireFolder(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new AltarError('SOURCE_UNAVAILABLE', `The folder ${path} does not exist.`);
  }
  if (!info.isDirectory()) {
    throw new AltarError('INVALID_ARGUMENT', `${path} is a file, not a folder of Sacred runs.`);
  }
}
