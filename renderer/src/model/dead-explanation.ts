import type { RunSummary } from '../../../shared/contract';
import { MIN_DEAD_AFTER_MS, beatIntervalSeconds, deadAfterMs } from '../../../shared/probably-dead';

/** "3 h 12 min", "2 min", "45 s": a span as a user says it, without leading zeros. */
export function spokenDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

function number(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

/**
 * Why a run is flagged "probably dead", in words, with the rule's numbers:
 * "RUNNING but no heartbeat for 3 h 12 min (limit: 2 min = max(120 s, 6 × beat interval 10 s))".
 * Null when the run is not flagged.
 */
export function deadExplanation(
  run: Pick<RunSummary, 'status' | 'probablyDead' | 'heartbeat' | 'start_time'> & {
    meta?: Record<string, unknown>;
  },
  nowMs: number,
): string | null {
  if (!run.probablyDead) return null;
  const beat = beatIntervalSeconds(run.meta?.options);
  const limit = deadAfterMs(beat);
  const rule =
    `limit: ${spokenDuration(limit)} = max(${MIN_DEAD_AFTER_MS / 1000} s, ` +
    `6 × beat interval ${number(beat)} s)`;
  const last = run.heartbeat ?? run.start_time;
  const lastMs = last === null ? NaN : Date.parse(last);
  if (Number.isNaN(lastMs)) return `${run.status} but no heartbeat was ever recorded (${rule})`;
  const silence = spokenDuration(nowMs - lastMs);
  return run.heartbeat === null
    ? `${run.status} but no heartbeat since it started ${silence} ago (${rule})`
    : `${run.status} but no heartbeat for ${silence} (${rule})`;
}
