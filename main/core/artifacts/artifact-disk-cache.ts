import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CacheStore } from '../cache/cache-store';
import { ArtifactCacheIndex } from './artifact-cache-index';
import { selectEvictions } from './lru-eviction';

export interface ArtifactDiskCacheDeps {
  store: CacheStore;
  /** `<dataDir>/artifacts`: one file per cached artifact, named by its opaque id. */
  directory: string;
  /** The size cap now (a setting); 0 turns caching off. */
  capBytes: () => number;
  now: () => number;
}

export interface CachedFile {
  path: string;
  bytes: number;
}

/** Left-over partial or unindexed files younger than this may belong to a running writer. */
const STALE_FILE_MS = 5 * 60 * 1000;
const TEMP_DIR = 'incoming';
const ARTIFACT_ID = /^[0-9a-f]{32}$/u;

/**
 * Artifact contents on disk with an LRU index in SQLite. A file is written under a temporary
 * name while it streams and renamed into place only once complete, so the cache never holds a
 * half file; the index row is written after the rename, and start-up reconciles the two.
 */
export class ArtifactDiskCache {
  readonly directory: string;
  private readonly index: ArtifactCacheIndex;
  private readonly pinned = new Map<string, number>();
  private readonly active = new Set<Readable>();
  private ready: Promise<void> | null = null;
  private lastAccess = 0;
  private closed = false;

  constructor(private readonly deps: ArtifactDiskCacheDeps) {
    this.directory = deps.directory;
    this.index = new ArtifactCacheIndex(deps.store.database);
  }

  get capBytes(): number {
    return this.deps.capBytes();
  }

  /** The cached copy of this artifact's current GridFS file, marked as just used; or null. */
  async lookup(id: string, locator: string): Promise<CachedFile | null> {
    await this.prepare();
    if (!ARTIFACT_ID.test(id)) return null;
    const entry = this.index.get(id);
    if (entry === null) return null;
    const path = this.pathOf(id);
    let size = -1;
    try {
      size = (await stat(path)).size;
    } catch {
      // Deleted behind our back: forget it below.
    }
    if (entry.locator !== locator || size !== entry.bytes) {
      await this.remove(id);
      return null;
    }
    if (this.isOpen()) this.index.touch(id, this.nextAccess());
    return { path, bytes: entry.bytes };
  }

  /**
   * Passes `source` through to the caller while writing it to the cache. The file enters the
   * cache (and the LRU evicts down to the cap) before the returned stream ends, so a view that
   * follows finds it; a source that fails, a caller that stops reading, or a length other than
   * `expectedBytes` leaves nothing behind.
   */
  tee(id: string, locator: string, source: Readable, expectedBytes: number): Readable {
    if (!this.accepts(id, expectedBytes)) return source;
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let file: WriteStream | null = null;
    let tempPath: string | null = null;
    /** A full disk or a vanished folder costs the cached copy, never the view itself. */
    let fileFailed = false;
    let written = 0;
    let stopped = false;
    let finished = false;
    const discard = async (): Promise<void> => {
      if (file !== null) await closeStream(file);
      if (tempPath !== null) await unlink(tempPath).catch(() => undefined);
    };
    const step = async (): Promise<void> => {
      if (file === null) {
        await this.prepare();
        tempPath = join(this.directory, TEMP_DIR, `${id}.${randomBytes(6).toString('hex')}`);
        file = createWriteStream(tempPath, { flags: 'wx' });
        file.on('error', () => {
          fileFailed = true;
        });
      }
      const next = await iterator.next();
      if (stopped) return;
      if (next.done === true) {
        finished = true;
        await closeStream(file, true);
        if (!fileFailed && written === expectedBytes && tempPath !== null) {
          await this.admit(id, locator, tempPath, written);
        } else {
          await discard();
        }
        out.push(null);
        return;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      written += chunk.length;
      if (!fileFailed && !file.write(chunk)) await drained(file);
      if (!stopped) out.push(chunk);
    };
    const out: Readable = new Readable({
      read: () => {
        step().catch((error: unknown) => {
          out.destroy(error instanceof Error ? error : new Error(String(error)));
        });
      },
      destroy: (error, callback) => {
        stopped = true;
        this.active.delete(out);
        if (finished) {
          callback(error);
          return;
        }
        // Stops the GridFS download too: nothing more is fetched for a reader that left.
        source.destroy();
        void discard().then(() => callback(error));
      },
    });
    this.active.add(out);
    out.once('end', () => this.active.delete(out));
    return out;
  }

  /** Reads `source` into the cache with nobody watching (make available offline). */
  async download(id: string, locator: string, source: Readable, expectedBytes: number) {
    if (!this.accepts(id, expectedBytes)) {
      source.destroy();
      return false;
    }
    await pipeline(
      this.tee(id, locator, source, expectedBytes),
      new Writable({ write: (_chunk, _encoding, callback) => callback() }),
    );
    return this.index.get(id)?.locator === locator;
  }

  /** Whether a file of this size can be cached at all with the current cap. */
  fits(bytes: number): boolean {
    const cap = this.capBytes;
    return cap > 0 && bytes <= cap;
  }

  /** Keeps these ids out of eviction while a request still needs them; call the result to undo. */
  pin(ids: Iterable<string>): () => void {
    const list = [...ids];
    for (const id of list) this.pinned.set(id, (this.pinned.get(id) ?? 0) + 1);
    return () => {
      for (const id of list) {
        const count = (this.pinned.get(id) ?? 1) - 1;
        if (count <= 0) this.pinned.delete(id);
        else this.pinned.set(id, count);
      }
    };
  }

  /** Deletes orphans, then least recently used files, until the rest fits in the cap. */
  async enforceCap(): Promise<void> {
    await this.prepare();
    if (!this.isOpen()) return;
    const evict = selectEvictions(this.index.entries(), this.capBytes, new Set(this.pinned.keys()));
    for (const id of evict) await this.remove(id);
  }

  async totals(): Promise<{ bytes: number; files: number }> {
    await this.prepare();
    return this.index.totals();
  }

  cachedIds(): Set<string> {
    return this.index.cachedIds();
  }

  /** Every cached file and index row goes; downloads still running finish into an empty cache. */
  async clear(): Promise<void> {
    await this.prepare();
    for (const id of this.index.ids()) await this.remove(id);
    for (const name of await readdir(this.directory).catch(() => [] as string[])) {
      if (ARTIFACT_ID.test(name)) await unlink(join(this.directory, name)).catch(() => undefined);
    }
  }

  /** Stops every stream still writing into the cache; their partial files are deleted. */
  async close(): Promise<void> {
    this.closed = true;
    const streams = [...this.active];
    await Promise.all(
      streams.map(
        (stream) =>
          new Promise<void>((resolve) => {
            if (stream.destroyed) {
              resolve();
              return;
            }
            stream.once('close', () => resolve());
            stream.destroy();
          }),
      ),
    );
  }

  private accepts(id: string, bytes: number): boolean {
    return !this.closed && ARTIFACT_ID.test(id) && this.fits(bytes);
  }

  private isOpen(): boolean {
    return !this.closed && !this.deps.store.isClosed;
  }

  private pathOf(id: string): string {
    return join(this.directory, id);
  }

  private nextAccess(): number {
    this.lastAccess = Math.max(this.deps.now(), this.lastAccess + 1);
    return this.lastAccess;
  }

  private async admit(id: string, locator: string, tempPath: string, bytes: number) {
    if (!this.isOpen()) {
      await unlink(tempPath).catch(() => undefined);
      return;
    }
    await rename(tempPath, this.pathOf(id));
    if (!this.isOpen()) return;
    this.index.put({ id, locator, bytes, lastAccess: this.nextAccess() });
    await this.enforceCap();
  }

  private async remove(id: string): Promise<void> {
    try {
      await unlink(this.pathOf(id));
    } catch (error) {
      // Still open elsewhere on Windows: keep the row so that it is tried again later.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
    if (this.isOpen()) this.index.delete(id);
  }

  /** Once per process: the folders exist, and files and rows that lost each other are gone. */
  private prepare(): Promise<void> {
    this.ready ??= this.reconcile();
    return this.ready;
  }

  private async reconcile(): Promise<void> {
    const incoming = join(this.directory, TEMP_DIR);
    await mkdir(incoming, { recursive: true });
    this.lastAccess = this.index.maxLastAccess();
    const cutoff = Date.now() - STALE_FILE_MS;
    const known = this.index.ids();
    for (const name of await readdir(incoming)) {
      await removeIfStale(join(incoming, name), cutoff);
    }
    const present = new Set<string>();
    for (const name of await readdir(this.directory)) {
      if (!ARTIFACT_ID.test(name)) continue;
      if (known.has(name)) present.add(name);
      else await removeIfStale(join(this.directory, name), cutoff);
    }
    for (const id of known) if (!present.has(id)) this.index.delete(id);
  }
}

async function removeIfStale(path: string, cutoff: number): Promise<void> {
  try {
    const info = await stat(path);
    if (info.mtimeMs < cutoff) await rm(path, { force: true, recursive: true });
  } catch {
    // Gone already.
  }
}

/** Resolves when the stream can take more, or is gone (its error is handled elsewhere). */
function drained(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

/** Ends (flushing what was written) or destroys the stream, and waits until its file is closed. */
function closeStream(stream: WriteStream, flush = false): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) {
      resolve();
      return;
    }
    stream.once('close', () => resolve());
    if (flush && !stream.destroyed) stream.end();
    else stream.destroy();
  });
}
