import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AltarError } from '../../../shared/errors';
import { NOT_A_RUN, fingerprintInWorker } from './fingerprint-worker';
import type { RunDirEntry } from './parsed-run';

/** Folders FileStorageObserver keeps next to the runs. */
const NOT_RUNS = new Set(['_sources', '_resources']);

/** Files Sacred writes into a run directory; a directory holding none of them is not a run. */
const RUN_FILES = new Set(['run.json', 'config.json', 'cout.txt', 'metrics.json', 'info.json']);

const STAT_CONCURRENCY = 16;

/**
 * From this many entries the fingerprints are taken in a worker thread: starting one costs
 * tens of ms (hundreds on a loaded machine), which the cheaper stats repay only on big folders.
 */
const WORKER_FROM_ENTRIES = 500;

export interface ScanOptions {
  /** Entries from which a worker thread takes the fingerprints (tests set 0 or Infinity). */
  workerFrom?: number;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

async function isDirectory(path: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Fingerprint of one run directory (fingerprint-worker.ts computes the same in a worker) from the names, sizes and mtimes of what it holds, or null
 * when the directory is gone or is not a run (it has files, but none that Sacred writes).
 * Sacred creates the directory before run.json, so an empty directory counts as a run being born.
 */
async function fingerprintRunDir(dir: string): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  if (names.length > 0 && !names.some((name) => RUN_FILES.has(name))) return null;
  names.sort();
  const hash = createHash('sha1');
  for (const name of names) {
    try {
      const info = await stat(join(dir, name));
      hash.update(`${name}\u0000${info.size}\u0000${info.mtimeMs}\n`);
    } catch (error) {
      // Removed between readdir and stat: it is simply not part of the run any more.
      if (errorCode(error) !== 'ENOENT') hash.update(`${name}\u0000unreadable\n`);
    }
  }
  return hash.digest('hex');
}

const NUMERIC = /^\d+$/;

function compareIds(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) {
    const diff = Number(a) - Number(b);
    if (diff !== 0) return diff;
  } else if (aNumeric !== bNumeric) {
    return aNumeric ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The same entries as the in-thread walk below, fingerprinted in a worker thread (see
 * fingerprint-worker.ts); null when no worker could run, and the walk below does it instead.
 */
async function scanInWorker(
  root: string,
  candidates: Dirent[],
): Promise<(RunDirEntry | null)[] | null> {
  const dirs = candidates.filter((entry) => entry.isDirectory() || entry.isSymbolicLink());
  let fingerprints: (string | null)[];
  try {
    fingerprints = await fingerprintInWorker(
      dirs.map((entry) => ({ dir: join(root, entry.name), link: !entry.isDirectory() })),
      [...RUN_FILES],
    );
  } catch {
    return null;
  }
  return dirs.map((entry, index) => {
    const fingerprint = fingerprints[index] ?? null;
    if (fingerprint === null || fingerprint === NOT_A_RUN) return null;
    return { id: entry.name, dir: join(root, entry.name), fingerprint };
  });
}

/**
 * Every run directory of a FileStorageObserver folder, numeric ids in numeric order first, then
 * custom names. Directories without run.json are kept so the reader can say why they fail.
 */
export async function scanRunDirs(
  folder: string,
  options: ScanOptions = {},
): Promise<RunDirEntry[]> {
  const root = resolve(folder);
  let entries: Dirent[];
  try {
    const info = await stat(root);
    if (!info.isDirectory())
      throw new AltarError('SOURCE_UNAVAILABLE', `Folder not found: ${folder}`);
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if (error instanceof AltarError) throw error;
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AltarError('SOURCE_UNAVAILABLE', `Folder not found: ${folder}`);
    }
    throw new AltarError(
      'SOURCE_UNAVAILABLE',
      `Folder cannot be read: ${folder} (${code ?? (error instanceof Error ? error.message : 'unknown error')})`,
    );
  }

  const candidates = entries.filter(
    (entry) => !NOT_RUNS.has(entry.name) && !entry.name.startsWith('.'),
  );
  const workerFrom = options.workerFrom ?? WORKER_FROM_ENTRIES;
  const found =
    (candidates.length >= workerFrom ? await scanInWorker(root, candidates) : null) ??
    (await mapLimited(candidates, STAT_CONCURRENCY, async (entry) => {
      const dir = join(root, entry.name);
      if (!(await isDirectory(dir, entry))) return null;
      const fingerprint = await fingerprintRunDir(dir);
      return fingerprint === null ? null : { id: entry.name, dir, fingerprint };
    }));
  return found
    .filter((entry): entry is RunDirEntry => entry !== null)
    .sort((a, b) => compareIds(a.id, b.id));
}
