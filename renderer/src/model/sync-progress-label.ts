import { formatByteSize, formatTimeLeft } from '../../../shared/byte-size';
import type { SyncProgress } from '../../../shared/events';

const phaseLabel: Record<SyncProgress['phase'], string> = {
  scanning: 'Scanning',
  reading: 'Reading runs',
  done: 'Done',
  failed: 'Failed',
};

/** "12 s left", "3 min 05 s left"; null while unknown. */
export function formatEtaLeft(seconds: number | null | undefined): string | null {
  const left = formatTimeLeft(seconds);
  return left === null ? null : `${left} left`;
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
    parts.push(formatByteSize(progress.bytes));
  }
  const eta = progress.phase === 'reading' ? formatEtaLeft(progress.etaSeconds) : null;
  if (eta !== null) parts.push(eta);
  return { main, detail: parts.length > 0 ? parts.join(' · ') : null };
}
