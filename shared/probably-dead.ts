/**
 * Sacred leaves RUNNING behind when a process dies (kill -9, OOM, node loss, a dropped
 * observer), so a stale heartbeat is the only sign. Rule from SACRED_FORMAT.md §6.
 */
export const MIN_DEAD_AFTER_MS = 120_000;
export const DEFAULT_BEAT_INTERVAL_S = 10;

export function beatIntervalSeconds(metaOptions: unknown): number {
  if (metaOptions === null || typeof metaOptions !== 'object') return DEFAULT_BEAT_INTERVAL_S;
  const options = metaOptions as Record<string, unknown>;
  const raw = options['--beat-interval'] ?? options['--beat_interval'];
  const parsed = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(parsed) && parsed > 0 ? parsed : DEFAULT_BEAT_INTERVAL_S;
}

export function deadAfterMs(beatIntervalS: number): number {
  return Math.max(MIN_DEAD_AFTER_MS, 6 * beatIntervalS * 1000);
}

export interface LivenessInput {
  status: string;
  heartbeat: string | null;
  startTime: string | null;
  beatIntervalS: number;
}

export function isProbablyDead(run: LivenessInput, nowMs: number): boolean {
  if (run.status !== 'RUNNING') return false;
  const last = run.heartbeat ?? run.startTime;
  if (last === null) return false;
  const lastMs = Date.parse(last);
  if (Number.isNaN(lastMs)) return false;
  return nowMs - lastMs > deadAfterMs(run.beatIntervalS);
}
