import type { Dirent, Stats } from 'node:fs';
import {
  closeSync,
  fstatSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { open, readdir, readlink, realpath, stat } from 'node:fs/promises';

/** What the run readers do with an open file: the part of FileHandle they use. */
export interface ReadHandle {
  readonly fd: number;
  read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>;
  stat(): Promise<Stats>;
  close(): Promise<void>;
}

/**
 * The file-system calls the folder readers make (read-run-dir.ts and what it calls). The same
 * calls, answered the same way (same results, same error codes), either through libuv's pool
 * (the default) or synchronously.
 */
export interface FileCalls {
  stat(path: string): Promise<Stats>;
  open(path: string, flags: number): Promise<ReadHandle>;
  realpath(path: string): Promise<string>;
  readdirWithTypes(path: string): Promise<Dirent[]>;
  readlink(path: string): Promise<string>;
}

const asyncCalls: FileCalls = {
  stat: (path) => stat(path),
  open: (path, flags) => open(path, flags),
  realpath: (path) => realpath(path),
  readdirWithTypes: (path) => readdir(path, { withFileTypes: true }),
  readlink: (path) => readlink(path),
};

/** A thrown error as a rejected promise, so callers see exactly what the async call gives. */
function settle<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function syncHandle(fd: number): ReadHandle {
  return {
    fd,
    read: (buffer, offset, length, position) =>
      settle(() => ({ bytesRead: readSync(fd, buffer, offset, length, position) })),
    stat: () => settle(() => fstatSync(fd)),
    close: () => settle(() => closeSync(fd)),
  };
}

const syncCalls: FileCalls = {
  stat: (path) => settle(() => statSync(path)),
  open: (path, flags) => settle(() => syncHandle(openSync(path, flags))),
  // The native realpath, as fs/promises' realpath is (realpathSync alone walks in JS).
  realpath: (path) => settle(() => realpathSync.native(path)),
  readdirWithTypes: (path) => settle(() => readdirSync(path, { withFileTypes: true })),
  readlink: (path) => settle(() => readlinkSync(path)),
};

let current: FileCalls = asyncCalls;

/** The calls of this thread: async unless useSynchronousFileCalls() was called in it. */
export function fileCalls(): FileCalls {
  return current;
}

/**
 * Makes this thread's folder readers call the file system synchronously. Only for a worker
 * thread that does nothing else (the sync's read worker): each async call costs a hand-off to
 * libuv's pool and back (open, fstat, read, close of five files per run: about half the
 * reading's CPU at 20k runs), while a synchronous call blocks only this worker. Never on the
 * core's thread: a slow disk would stall every request. Module state is per thread, so a
 * worker's choice does not reach the thread that started it.
 */
export function useSynchronousFileCalls(on = true): void {
  current = on ? syncCalls : asyncCalls;
}
