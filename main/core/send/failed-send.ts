import { hash7 } from './crockford-hash';
import type { FailedSend } from './run-writer';
import type { FolderPlan } from './send-plan';

/** The fields of a stored run a resume needs, read alike from MongoDB and run folders. */
export interface StoredRunFields {
  id: string;
  experimentName: unknown;
  startTime: unknown;
  config: unknown;
  failTrace: unknown;
  dataFiles: unknown;
  /** Stored names of the artifacts that are really stored (GridFS files, files in the folder). */
  storedArtifacts: string[];
}

const STORED = /^([0-9A-Z]{1,7}-\d{8}T\d{6})-(.+)$/u;

/**
 * The FAILED run `run` as the folder's earlier failed send, or null when it is not one: a run
 * of the same name that is a sent run (it has info.dataFiles) and whose stored names all
 * start with the folder's HASH7 (the folder's files may have changed since; a resume stores
 * what is planned now).
 */
export function failedSendOf(plan: FolderPlan, run: StoredRunFields): FailedSend | null {
  if (run.experimentName !== plan.name || !isObject(run.dataFiles)) return null;
  const planned = plannedNames(run.dataFiles);
  const rawRecorded = recordedRawNames(run.dataFiles);
  const hash = hash7(plan.name);
  const names = [...planned, ...rawRecorded, ...run.storedArtifacts];
  const prefixes = names.map((name) => STORED.exec(name)?.[1] ?? null);
  if (prefixes.some((prefix) => prefix === null || !prefix.startsWith(`${hash}-`))) return null;
  const startTime = run.startTime instanceof Date ? run.startTime : parseTime(run.startTime);
  if (startTime === null) return null;
  const seed = isObject(run.config) && typeof run.config.seed === 'number' ? run.config.seed : null;
  return {
    id: run.id,
    startTime,
    prefix: prefixes[0] ?? null,
    seed,
    recorded: [...new Set([...rawRecorded, ...run.storedArtifacts])],
    reason: Array.isArray(run.failTrace)
      ? run.failTrace
          .filter((line): line is string => typeof line === 'string')
          .join('')
          .trim()
          .replace(/\s*\n\s*/gu, ' ') || null
      : null,
  };
}

/** How many of the plan's stored files (stored names) a failed send records as stored. */
export function arrivedCount(plan: FolderPlan, failed: FailedSend): number {
  const recorded = new Set(failed.recorded);
  return [...plan.artifacts, ...plan.raw].filter((file) => recorded.has(file.storedName)).length;
}

/** The names a sent run's info.dataFiles.artifacts plans (recorded before they are stored). */
function plannedNames(dataFiles: Record<string, unknown>): string[] {
  const artifacts = dataFiles.artifacts;
  return isObject(artifacts)
    ? Object.values(artifacts).filter((name): name is string => typeof name === 'string')
    : [];
}

/** fileName of every info.dataFiles.raw_data entry: recorded once the file was stored. */
function recordedRawNames(dataFiles: Record<string, unknown>): string[] {
  const raw = dataFiles.raw_data;
  if (!isObject(raw)) return [];
  const names: string[] = [];
  for (const kind of [raw.minio, raw.local]) {
    if (!isObject(kind)) continue;
    for (const entry of Object.values(kind)) {
      if (isObject(entry) && typeof entry.fileName === 'string') names.push(entry.fileName);
    }
  }
  return names;
}

/** Sacred's times in run.json: ISO without a zone, UTC (datetime.utcnow().isoformat()). */
function parseTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(/[zZ]|[+-]\d\d:\d\d$/u.test(value) ? value : `${value}Z`);
  return Number.isNaN(time) ? null : new Date(time);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
