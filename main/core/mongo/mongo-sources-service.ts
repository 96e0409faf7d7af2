import type { Db } from 'mongodb';
import { connectionStringParser } from './connection-string-parser';
import type { CapturedOutput, SourceFileContent, SyncSummary } from '../../../shared/contract';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { ArtifactRow, SourceRow } from '../cache/cache-rows';
import type { CacheStore } from '../cache/cache-store';
import type { ArtifactStream } from '../core-service';
import { utf8Tail } from '../file-tail';
import { listedSourceFile } from '../run-shapes';
import {
  GridFsFileMissing,
  openGridFsStream,
  parseLocator,
  readGridFsHead,
  statGridFsFile,
} from './gridfs';
import { refreshLiveRuns } from '../sync/refresh-live-runs';
import type { RefreshLiveResult } from '../sync/refresh-live-runs';
import type { MongoConnections } from './mongo-connections';
import { idFromOrigin } from './read-mongo-run';
import {
  READ_OPTIONS,
  mongoTarget,
  resolveCollections,
  runsCollectionName,
  syncMongoSource,
} from './sync-mongo-source';
import type { AnyIdDocument, SacredId, SyncMongoOptions } from './sync-mongo-source';
import { SOURCE_FILE_CAP_BYTES } from '../runs/run-reads-service';

/** Live reads for the UI (output of a running run) give up sooner than a sync. */
const LIVE_READ_TIMEOUT_MS = 5000;
/**
 * After a failure to reach a server, live reads fail at once for this long instead of waiting
 * for a timeout each; the background sync (or the next read after this) tries again.
 */
const OFFLINE_FAST_FAIL_MS = 30_000;
const NOT_CACHED = 'is not cached';
/** Artifact contents have an offline cache of their own (main/core/artifacts/). */
const NOT_OFFLINE = 'is not available offline';

export interface MongoSourcesDeps {
  store: CacheStore;
  connections: MongoConnections;
  /** The profile a source connects with; its URI never holds the password. */
  getProfile: (id: string) => { id: string; name: string; uri: string } | null;
  now: () => number;
}

export interface AddMongoSourceArgs {
  name: string;
  profileId: string;
  database: string;
  prefix?: string | null;
  /** Accept a database that has no runs collection yet (a new one to restore into). */
  allowEmpty?: boolean;
}

/** The sync options a caller (the core) decides; the service adds the connection. */
export type MongoSyncHooks = Omit<SyncMongoOptions, 'connections' | 'onReachability'>;

export interface MongoSourcesService {
  /**
   * Checks the profile, connects, checks the runs collection, then records the source (not
   * synced yet). Nothing is added when any step fails; the error says which.
   */
  addMongoSource(args: AddMongoSourceArgs): Promise<void>;
  syncSource(options: MongoSyncHooks): Promise<SyncSummary>;
  /** Re-reads the live RUNNING runs of a source, writing only what changed. */
  refreshLive(source: string): Promise<RefreshLiveResult>;
  /** The outcome of the last attempt to reach the source's server (false before any). */
  isOnline(row: SourceRow): boolean;
  getCapturedOutput(source: string, runId: string, maxBytes?: number): Promise<CapturedOutput>;
  getSourceFile(source: string, runId: string, name: string): Promise<SourceFileContent>;
  openArtifact(row: ArtifactRow): Promise<ArtifactStream | null>;
}

/** What a user sees as a mongo source's location: hosts, database and prefix, no secret. */
export function describeMongoLocation(
  uri: string,
  database: string,
  prefix: string | null,
): string {
  let where: string;
  try {
    const parsed = new (connectionStringParser())(uri);
    const scheme = parsed.isSRV ? 'mongodb+srv' : 'mongodb';
    const user = parsed.username === '' ? '' : `${parsed.username}@`;
    where = `${scheme}://${user}${parsed.hosts.join(',')}`;
  } catch {
    where = 'mongodb://(invalid URI)';
  }
  return `${where}/${database}${prefix === null ? '' : ` (prefix ${prefix})`}`;
}

export function createMongoSourcesService(deps: MongoSourcesDeps): MongoSourcesService {
  const { store, connections } = deps;
  /** Last outcome per profile: every source of a profile shares its server. */
  const reachable = new Map<string, boolean>();
  /** When and why each profile's server was last found unreachable. */
  const unreachable = new Map<string, { at: number; reason: string }>();
  const setReachable = (profileId: string, online: boolean, reason?: string): void => {
    reachable.set(profileId, online);
    if (online) unreachable.delete(profileId);
    else unreachable.set(profileId, { at: deps.now(), reason: reason ?? 'no answer' });
  };

  const isOnline = (row: SourceRow): boolean =>
    row.profile_id !== null && reachable.get(row.profile_id) === true;

  const requireSource = (name: string): SourceRow => {
    const row = store.getSource(name);
    if (row === null) throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    return row;
  };

  const requireRun = (source: string, id: string) => {
    const run = store.getRun(source, id);
    if (run === null) throw new AltarError('NOT_FOUND', `Source "${source}" has no run "${id}".`);
    return run;
  };

  /** The source's database, or SOURCE_UNAVAILABLE naming what is not cached. */
  const liveDb = async (row: SourceRow, what: string, missing = NOT_CACHED): Promise<Db> => {
    const target = mongoTarget(row);
    const down = unreachable.get(target.profileId);
    if (down !== undefined && deps.now() - down.at < OFFLINE_FAST_FAIL_MS) {
      throw new AltarError(
        'SOURCE_UNAVAILABLE',
        `${what} ${missing}: the server is unreachable (${down.reason}).`,
      );
    }
    try {
      const client = await connections.client(target.profileId, {
        timeoutMs: LIVE_READ_TIMEOUT_MS,
      });
      setReachable(target.profileId, true);
      return client.db(target.database);
    } catch (error) {
      const reason = isAltarError(error)
        ? error.message
        : connections.classifyError(error, target.profileId).message;
      setReachable(target.profileId, false, reason);
      throw new AltarError(
        'SOURCE_UNAVAILABLE',
        `${what} ${missing}: the server is unreachable (${reason}).`,
      );
    }
  };

  /** A failure while reading from an open connection: offline when it was the network. */
  const liveFailure = (
    row: SourceRow,
    what: string,
    error: unknown,
    missing = NOT_CACHED,
  ): AltarError => {
    const target = mongoTarget(row);
    const classified = isAltarError(error)
      ? error
      : connections.classifyError(error, target.profileId);
    const code = isAltarError(classified) ? classified.code : 'INTERNAL';
    if (code === 'CONNECTION_FAILED' || code === 'TIMEOUT') {
      setReachable(target.profileId, false, classified.message);
      return new AltarError(
        'SOURCE_UNAVAILABLE',
        `${what} ${missing}: the server is unreachable (${classified.message}).`,
      );
    }
    return new AltarError(code, `${what} cannot be read: ${classified.message}`);
  };

  return {
    async addMongoSource(args) {
      const prefix = args.prefix ?? null;
      if (store.getSource(args.name) !== null) {
        throw new AltarError('ALREADY_EXISTS', `A source named "${args.name}" already exists.`);
      }
      const profile = deps.getProfile(args.profileId);
      if (profile === null) {
        throw new AltarError('NOT_FOUND', `There is no connection profile "${args.profileId}".`);
      }
      let runsName: string | null;
      try {
        const client = await connections.client(args.profileId);
        setReachable(args.profileId, true);
        runsName = (await resolveCollections(client.db(args.database), prefix)).runs;
      } catch (error) {
        const classified = isAltarError(error)
          ? error
          : connections.classifyError(error, args.profileId);
        if (isAltarError(classified) && classified.code !== 'NOT_FOUND') {
          setReachable(
            args.profileId,
            !['CONNECTION_FAILED', 'TIMEOUT', 'AUTH_FAILED'].includes(classified.code),
            classified.message,
          );
        }
        throw classified;
      }
      // A new lab database to restore or copy runs into has none yet: only when asked for.
      if (runsName === null && args.allowEmpty !== true) {
        throw new AltarError(
          'NOT_FOUND',
          `Database ${args.database} has no runs collection ${runsCollectionName(prefix)}.`,
        );
      }
      // Checked again: another caller may have taken the name while this one was connecting.
      if (store.getSource(args.name) !== null) {
        throw new AltarError('ALREADY_EXISTS', `A source named "${args.name}" already exists.`);
      }
      store.addSource({
        name: args.name,
        kind: 'mongo',
        location: describeMongoLocation(profile.uri, args.database, prefix),
        createdAt: new Date(deps.now()).toISOString(),
        mongo: { profileId: args.profileId, database: args.database, prefix },
      });
    },

    syncSource(options) {
      const row = store.getSource(options.source);
      return syncMongoSource({
        ...options,
        connections,
        onReachability: (online, reason) => {
          if (row?.profile_id != null) setReachable(row.profile_id, online, reason);
        },
      });
    },

    refreshLive(source) {
      const row = requireSource(source);
      return refreshLiveRuns({
        store,
        source,
        connections,
        now: deps.now,
        onReachability: (online, reason) => {
          if (row.profile_id !== null) setReachable(row.profile_id, online, reason);
        },
      });
    },

    isOnline,

    async getCapturedOutput(source, runId, maxBytes) {
      const row = requireSource(source);
      const run = requireRun(source, runId);
      const cached = store.getCapturedOutput(source, runId);
      if (cached === null)
        throw new AltarError('NOT_FOUND', `Source "${source}" has no run "${runId}".`);
      const cachedBytes = Buffer.byteLength(cached.text, 'utf8');
      const wantsMore = cached.truncated && (maxBytes === undefined || maxBytes > cachedBytes);
      // The newest output of a running run, or more than the cached tail, from the server.
      if ((run.status === 'RUNNING' || wantsMore) && run.origin !== null && isOnline(row)) {
        try {
          const db = await liveDb(row, `The output of run "${runId}"`);
          const runsName = (await resolveCollections(db, mongoTarget(row).prefix)).runs;
          if (runsName === null) throw new Error('the runs collection is gone');
          const doc = await db
            .collection<AnyIdDocument>(runsName)
            .findOne(
              { _id: idFromOrigin(run.origin) as SacredId },
              { projection: { captured_out: 1 }, maxTimeMS: LIVE_READ_TIMEOUT_MS, ...READ_OPTIONS },
            );
          const text: unknown = doc?.captured_out;
          if (typeof text === 'string') {
            const totalBytes = Buffer.byteLength(text, 'utf8');
            if (maxBytes === undefined) return { text, truncated: false, totalBytes };
            const tail = utf8Tail(text, maxBytes);
            return { text: tail.text, truncated: tail.bytes < totalBytes, totalBytes };
          }
        } catch {
          // Offline or gone: the cached output is the best there is.
        }
      }
      if (maxBytes === undefined) {
        return { text: cached.text, truncated: cached.truncated, totalBytes: cached.totalBytes };
      }
      const tail = utf8Tail(cached.text, maxBytes);
      return {
        text: tail.text,
        truncated: cached.truncated || tail.bytes < cachedBytes,
        totalBytes: cached.totalBytes,
      };
    },

    async getSourceFile(source, runId, name) {
      const row = requireSource(source);
      const run = requireRun(source, runId);
      const file = listedSourceFile(run, { source, runId, name }, 'gridfsId');
      const what = `The source file "${name}"`;
      const db = await liveDb(row, what);
      try {
        const content = await readGridFsHead(
          db,
          { bucket: file.gridfsBucket ?? 'fs', id: file.gridfsId },
          SOURCE_FILE_CAP_BYTES,
        );
        return { name, text: content.text, truncated: content.truncated };
      } catch (error) {
        if (error instanceof GridFsFileMissing) {
          throw new AltarError('NOT_FOUND', `${what} of run "${runId}" is no longer in GridFS.`);
        }
        throw liveFailure(row, what, error);
      }
    },

    async openArtifact(artifact) {
      const locator = parseLocator(artifact.locator);
      if (locator === null) return null;
      const row = store.getSource(artifact.source);
      if (row === null) return null;
      const what = `The artifact "${artifact.name}"`;
      const db = await liveDb(row, what, NOT_OFFLINE);
      let file;
      try {
        file = await statGridFsFile(db, locator);
      } catch (error) {
        throw liveFailure(row, what, error, NOT_OFFLINE);
      }
      if (file === null) return null;
      return {
        name: artifact.name,
        size: file.length ?? artifact.size ?? 0,
        contentType: file.contentType ?? artifact.content_type ?? 'application/octet-stream',
        open: (range) => openGridFsStream(db, locator, range),
      };
    },
  };
}
