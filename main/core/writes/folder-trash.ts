import { lstat, mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AltarError } from '../../../shared/errors';
import type { TrashEntry } from '../../../shared/contract/delete-methods';

/**
 * The trash of a folder source: a deleted run's folder moves to
 * `<source folder>/.altar-trash/<id>-<time>/` and is never erased by the app. The folder
 * scanner skips names starting with a dot, so trashed runs are not listed as runs.
 */
export const TRASH_FOLDER = '.altar-trash';

/** `20261204T221300123Z`: sortable, no characters a file system refuses. */
const STAMP = /^(.+)-(\d{8}T\d{9}Z)$/u;

export function trashStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/gu, '');
}

function stampToIso(stamp: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/u.exec(stamp);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A run id that names a folder directly inside the source folder (not `..`, no separator). */
export function checkRunFolderName(id: string): void {
  if (id === '.' || id === '..' || id.startsWith('.') || /[/\\\0]/u.test(id)) {
    throw new AltarError('INVALID_ARGUMENT', `"${id}" is not a run folder's name.`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Moves `<folder>/<id>` into the trash; returns the trash id (`<id>-<time>`). */
export async function moveRunToTrash(folder: string, id: string, nowMs: number): Promise<string> {
  checkRunFolderName(id);
  const runDir = join(folder, id);
  const info = await lstat(runDir).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new AltarError('NOT_FOUND', `The run folder ${runDir} is not there any more.`);
  }
  const trash = join(folder, TRASH_FOLDER);
  await mkdir(trash, { recursive: true });
  // Two deletes of one id within a millisecond (a restored run deleted again): the next free ms.
  let ms = nowMs;
  while (await exists(join(trash, `${id}-${trashStamp(ms)}`))) ms += 1;
  const trashId = `${id}-${trashStamp(ms)}`;
  await rename(runDir, join(trash, trashId));
  return trashId;
}

/** The trashed runs of a folder source, newest first. */
export async function listTrash(folder: string): Promise<TrashEntry[]> {
  let names: string[];
  try {
    names = await readdir(join(folder, TRASH_FOLDER));
  } catch {
    return [];
  }
  const entries: TrashEntry[] = [];
  for (const name of names) {
    const match = STAMP.exec(name);
    const runId = match?.[1] ?? name;
    entries.push({
      trashId: name,
      runId,
      deletedAt: match === null ? null : stampToIso(match[2] ?? ''),
      idFree: !(await exists(join(folder, runId))),
    });
  }
  return entries.sort((a, b) => (b.deletedAt ?? '').localeCompare(a.deletedAt ?? ''));
}

/** Moves a trashed run back under its id; ALREADY_EXISTS when a run folder has that id now. */
export async function restoreFromTrash(folder: string, trashId: string): Promise<string> {
  checkRunFolderName(trashId);
  const from = join(folder, TRASH_FOLDER, trashId);
  const info = await lstat(from).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new AltarError('NOT_FOUND', `The trash of ${folder} holds no "${trashId}".`);
  }
  const runId = STAMP.exec(trashId)?.[1] ?? trashId;
  checkRunFolderName(runId);
  const to = join(folder, runId);
  if (await exists(to)) {
    throw new AltarError(
      'ALREADY_EXISTS',
      `Run "${runId}" cannot be restored: a run folder with that id exists again (${to}).`,
    );
  }
  await rename(from, to);
  return runId;
}
