/**
 * A RUNNING run's duration so far. The stored duration ends at the last heartbeat (so a dead
 * run's does not grow forever); a live run's is counted to now instead, and ticks.
 */
export function isLive(status: string, probablyDead: boolean): boolean {
  return status === 'RUNNING' && !probablyDead;
}

/**
 * Milliseconds a live run has run at `nowMs`: from its start time when known; otherwise the
 * stored duration (seconds, up to the heartbeat seen at `seenAtMs`) plus the time since it was
 * seen. Null when neither is known.
 */
export function liveDurationMs(
  startIso: string | null | undefined,
  storedSeconds: number | null | undefined,
  seenAtMs: number,
  nowMs: number,
): number | null {
  if (typeof startIso === 'string') {
    const start = Date.parse(startIso);
    if (!Number.isNaN(start)) return Math.max(0, nowMs - start);
  }
  if (typeof storedSeconds === 'number' && Number.isFinite(storedSeconds))
    return Math.max(0, storedSeconds * 1000 + (nowMs - seenAtMs));
  return null;
}
