import { isMongoDriverError } from '../mongo/mongo-driver';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type {
  ArtifactCacheInfo,
  ArtifactDownloadSummary,
  ArtifactRef,
} from '../../../shared/contract';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { ArtifactDownloadProgress } from '../../../shared/events';
import type { ArtifactRow } from '../cache/cache-rows';
import type { CacheStore } from '../cache/cache-store';
import type { ArtifactStream } from '../core-service';
import { cacheFilePath } from '../data-dir';
import type { MongoSourcesService } from '../mongo/mongo-sources-service';
import type { ServiceMethods } from '../parsed-methods';
import { ArtifactDiskCache } from './artifact-disk-cache';
import { ArtifactCacheIndex } from './artifact-cache-index';

export interface ArtifactsServiceDeps {
  store: CacheStore;
  dataDir: string;
  mongo: Pick<MongoSourcesService, 'openArtifact'>;
  /** The artifact cache cap now (the `artifactCacheBytes` setting). */
  capBytes: () => number;
  now: () => number;
  onProgress: (progress: ArtifactDownloadProgress) => void;
  /** The core's bookkeeping of running work, so close() waits for downloads. */
  track: <T>(promise: Promise<T>) => Promise<T>;
}

/** The contract methods this service owns: the artifact cache as the settings show it. */
export const ARTIFACT_CACHE_METHODS = [
  'getArtifactCacheInfo',
  'clearArtifactCache',
  'makeArtifactsAvailableOffline',
] as const;

export interface ArtifactsService extends ServiceMethods<(typeof ARTIFACT_CACHE_METHODS)[number]> {
  /**
   * A MongoDB artifact from the disk cache, else streamed from GridFS and cached on the way;
   * SOURCE_UNAVAILABLE ("not available offline") when neither can be had.
   */
  openMongoArtifact(row: ArtifactRow): Promise<ArtifactStream | null>;
  /**
   * Sets `cached` on every ref of `rows`: MongoDB artifacts (with a locator) when the cache
   * holds their current GridFS file, folder artifacts when their file was found on disk.
   */
  markCached(refs: Iterable<ArtifactRef>, rows: readonly ArtifactRow[]): void;
  /** Evicts down to the cap (after the cap setting changed). */
  enforceCap(): Promise<void>;
  /** Stops downloads in flight and the streams still filling the cache. */
  close(): Promise<void>;
}

export function artifactCacheDirectory(dataDir: string): string {
  return join(dataDir, 'artifacts');
}

export function createArtifactsService(deps: ArtifactsServiceDeps): ArtifactsService {
  const { store } = deps;
  const cache = new ArtifactDiskCache({
    store,
    directory: artifactCacheDirectory(deps.dataDir),
    capBytes: deps.capBytes,
    now: deps.now,
  });
  const index = new ArtifactCacheIndex(store.database);
  const downloading = new Set<string>();
  let closed = false;

  const info = async (): Promise<ArtifactCacheInfo> => {
    // Files of removed runs and sources go here at the latest, so the numbers shown are real.
    await cache.enforceCap();
    const totals = await cache.totals();
    return {
      ...totals,
      capBytes: cache.capBytes,
      directory: cache.directory,
      cacheFile: cacheFilePath(deps.dataDir),
    };
  };

  const openMongoArtifact = async (row: ArtifactRow): Promise<ArtifactStream | null> => {
    const contentType = row.content_type ?? 'application/octet-stream';
    if (row.locator !== null) {
      const hit = await cache.lookup(row.id, row.locator);
      if (hit !== null) {
        return {
          name: row.name,
          size: hit.bytes,
          contentType,
          open: (range) => createReadStream(hit.path, range ?? {}),
        };
      }
    }
    const live = await deps.mongo.openArtifact(row);
    if (live === null || row.locator === null) return live;
    const locator = row.locator;
    return {
      ...live,
      open: (range) => {
        const whole = range === undefined || (range.start === 0 && range.end >= live.size - 1);
        return whole ? cache.tee(row.id, locator, live.open(), live.size) : live.open(range);
      },
    };
  };

  const makeAvailableOffline = async (
    source: string,
    runIds?: readonly string[],
  ): Promise<ArtifactDownloadSummary> => {
    const sourceRow = store.getSource(source);
    if (sourceRow === null) {
      throw new AltarError('NOT_FOUND', `There is no source named "${source}".`);
    }
    const known = index.runIdsOfSource(source);
    const wanted = runIds === undefined ? known : new Set(runIds);
    for (const id of wanted) {
      if (!known.has(id))
        throw new AltarError('NOT_FOUND', `Source "${source}" has no run "${id}".`);
    }
    const rows = index.artifactsOfSource(source).filter((row) => wanted.has(row.run_id));
    const summary: ArtifactDownloadSummary = {
      source,
      runs: wanted.size,
      artifacts: rows.length,
      downloaded: 0,
      alreadyAvailable: 0,
      skipped: 0,
      bytes: 0,
      message: null,
    };
    const emit = (phase: ArtifactDownloadProgress['phase'], totalBytes: number): void =>
      deps.onProgress({
        source,
        phase,
        done: summary.downloaded + summary.alreadyAvailable + summary.skipped,
        total: summary.artifacts,
        bytes: summary.bytes,
        totalBytes,
        message: summary.message,
      });

    if (sourceRow.kind !== 'mongo') {
      // Folder artifacts are read where Sacred wrote them: there is nothing to copy.
      summary.alreadyAvailable = rows.filter((row) => row.abs_path !== null).length;
      summary.skipped = rows.length - summary.alreadyAvailable;
      summary.message =
        summary.skipped > 0
          ? `${summary.skipped} artifacts are missing from the run folders.`
          : null;
      emit('done', 0);
      return summary;
    }

    if (downloading.has(source)) {
      throw new AltarError(
        'SYNC_IN_PROGRESS',
        `The artifacts of "${source}" are already being downloaded.`,
      );
    }
    downloading.add(source);
    const cachedNow = cache.cachedIds();
    const todo: ArtifactRow[] = [];
    for (const row of rows) {
      if (cachedNow.has(row.id)) summary.alreadyAvailable++;
      else if (row.locator === null || row.size === null) summary.skipped++;
      else todo.push(row);
    }
    const totalBytes = todo.reduce((sum, row) => sum + (row.size ?? 0), 0);
    // What this request already holds must survive the evictions its own inserts cause.
    const unpin = cache.pin(rows.filter((row) => cachedNow.has(row.id)).map((row) => row.id));
    const pins: (() => void)[] = [unpin];
    let requestBytes = rows
      .filter((row) => cachedNow.has(row.id))
      .reduce((sum, row) => sum + (row.size ?? 0), 0);
    const reasons = new Set<string>();
    emit('downloading', totalBytes);
    try {
      for (const row of todo) {
        if (closed) throw new AltarError('CANCELLED', 'The download was stopped.');
        const size = row.size ?? 0;
        if (!cache.fits(size)) {
          summary.skipped++;
          reasons.add('some are larger than the artifact cache');
        } else if (requestBytes + size > cache.capBytes) {
          summary.skipped++;
          reasons.add('the artifact cache is full (raise its size in Settings)');
        } else {
          let stream: ArtifactStream | null;
          try {
            stream = await deps.mongo.openArtifact(row);
          } catch (error) {
            throw unreachable(source, summary, error);
          }
          if (stream === null || !cache.fits(stream.size)) {
            summary.skipped++;
            reasons.add(stream === null ? 'some are gone from GridFS' : 'some are too large');
          } else {
            try {
              const stored = await cache.download(
                row.id,
                row.locator ?? '',
                stream.open(),
                stream.size,
              );
              if (stored) {
                pins.push(cache.pin([row.id]));
                summary.downloaded++;
                summary.bytes += stream.size;
                requestBytes += stream.size;
              } else {
                summary.skipped++;
                reasons.add('some changed while they were downloaded');
              }
            } catch (error) {
              if (closed) throw new AltarError('CANCELLED', 'The download was stopped.');
              if (!isBrokenFile(error)) throw unreachable(source, summary, error);
              summary.skipped++;
              reasons.add('some are damaged in GridFS');
            }
          }
        }
        summary.message = reasons.size === 0 ? null : `Not downloaded: ${[...reasons].join('; ')}.`;
        emit('downloading', totalBytes);
      }
      emit('done', totalBytes);
      return summary;
    } catch (error) {
      summary.message = error instanceof Error ? error.message : String(error);
      emit('failed', totalBytes);
      throw error;
    } finally {
      for (const release of pins) release();
      downloading.delete(source);
    }
  };

  return {
    openMongoArtifact,
    markCached(refs, rows) {
      const byId = new Map(rows.map((row) => [row.id, row]));
      const cached = rows.some((row) => row.locator !== null) ? cache.cachedIds() : new Set();
      for (const ref of refs) {
        const row = byId.get(ref.id);
        if (row === undefined) continue;
        ref.cached = row.locator !== null ? cached.has(ref.id) : row.abs_path !== null;
      }
    },
    makeArtifactsAvailableOffline: ({ source, ids }) =>
      deps.track(makeAvailableOffline(source, ids)),
    getArtifactCacheInfo: info,
    async clearArtifactCache() {
      await cache.clear();
      return info();
    },
    enforceCap: () => cache.enforceCap(),
    async close() {
      closed = true;
      await cache.close();
    },
  };
}

/** GridFS says the file itself is broken (missing chunks): skip it, the server is fine. */
function isBrokenFile(error: unknown): boolean {
  return (
    isMongoDriverError(error, 'MongoGridFSChunkError') ||
    isMongoDriverError(error, 'MongoGridFSStreamError')
  );
}

function unreachable(source: string, summary: ArtifactDownloadSummary, error: unknown): AltarError {
  const done = `${summary.downloaded} of ${summary.artifacts} artifacts were downloaded`;
  if (isAltarError(error) && error.code !== 'SOURCE_UNAVAILABLE') {
    return new AltarError(error.code, `${error.message} (${done}).`);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AltarError(
    'SOURCE_UNAVAILABLE',
    `The artifacts of "${source}" could not all be downloaded: ${reason} (${done}).`,
  );
}
