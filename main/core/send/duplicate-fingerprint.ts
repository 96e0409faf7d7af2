import { hash7 } from './crockford-hash';
import { originalName } from './stored-name';
import type { FolderPlan } from './send-plan';

/**
 * What makes two sends of a folder the same: the folder's HASH7 and the original names of the
 * stored files (artifacts and raw data). Times are left out: a folder without a time in its
 * name gets the send time in its stored names, which differs each time.
 */
export function planFingerprint(plan: FolderPlan): string {
  const names = [...plan.artifacts, ...plan.raw].map((file) => file.fileName);
  return fingerprint(hash7(plan.name), names);
}

/** The fingerprint of a stored run's info.dataFiles, or null when it is not a sent run. */
export function dataFilesFingerprint(experimentName: unknown, dataFiles: unknown): string | null {
  if (typeof experimentName !== 'string' || !isObject(dataFiles)) return null;
  const stored: unknown[] = [];
  if (isObject(dataFiles.artifacts)) stored.push(...Object.values(dataFiles.artifacts));
  const raw = dataFiles.raw_data;
  if (isObject(raw)) {
    for (const kind of [raw.minio, raw.local]) {
      if (!isObject(kind)) continue;
      for (const entry of Object.values(kind)) {
        if (isObject(entry)) stored.push(entry.fileName);
      }
    }
  }
  const hash = hash7(experimentName);
  const names: string[] = [];
  for (const name of stored) {
    const parsed = typeof name === 'string' ? originalName(name) : null;
    if (parsed === null || parsed.hash !== hash) return null;
    names.push(parsed.name);
  }
  return fingerprint(hash, names);
}

function fingerprint(hash: string, names: readonly string[]): string {
  return `${hash}\u0000${[...new Set(names)].sort().join('\u0000')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
