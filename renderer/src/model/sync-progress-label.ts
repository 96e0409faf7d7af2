import type { SyncProgress } from '../../../shared/events';

const phaseLabel: Record<SyncProgress['phase'], string> = {
  scanning: 'Scanning',
  reading: 'Reading runs',
  done: 'Done',
  failed: 'Failed',
};

/** "12.3 MB" (powers of 1000, as the CLI prints them). */
export function formatTransferred(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** "12 s left", "3 min 05 s left"; null while unknown. */
export function formatEtaLeft(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s left`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s left`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min left`;
}

/** The lines under a sync's progress bar: phase and runs, then points, bytes and ETA. */
export function syncProgressLabel(progress: SyncProgress | null): {
  main: string;
  detail: string | null;
} {
  if (progress === null) return { main: 'Working…', detail: null };
  const { total, done } = progress;
  const main = `${phaseLabel[progress.phase]}${total > 0 ? ` ${done} / ${total}` : ''}${
    progress.runId !== null && progress.phase === 'reading' ? ` (run ${progress.runId})` : ''
  }`;
  const parts: string[] = [];
  if (progress.points !== undefined && progress.points > 0) {
    parts.push(`${progress.points.toLocaleString('en-US')} points`);
  }
  if (progress.bytes !== undefined && progress.bytes > 0) {
    parts.push(formatTransferred(progress.bytes));
  }
  const eta = progress.phase === 'reading' ? formatEtaLeft(progress.etaSeconds) : null;
  if (eta !== null) parts.push(eta);
  return { main, detail: parts.length > 0 ? parts.join(' · ') : null };
}
