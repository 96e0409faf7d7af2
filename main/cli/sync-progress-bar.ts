import cliProgress from 'cli-progress';
import type { EventSource } from '../../shared/events';
import type { OutputStream } from './cli-io';
import { formatByteSize, formatTimeLeft } from '../../shared/byte-size';

/**
 * Shows the core's syncProgress events as a bar on stderr, only on a terminal, so piped
 * output (stdout and stderr) stays clean. Returns a function that removes the bar.
 */
export function showSyncProgress(events: EventSource, stderr: OutputStream): () => void {
  if (stderr.isTTY !== true) return () => undefined;
  const bar = new cliProgress.SingleBar(
    {
      stream: stderr as NodeJS.WritableStream,
      format: '{source} |{bar}| {value}/{total} runs · {points} points · {moved} · ETA {left}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  const unsubscribe = events.on('syncProgress', (progress) => {
    if (progress.phase === 'done' || progress.phase === 'failed') {
      if (active) bar.stop();
      active = false;
      return;
    }
    const total = Math.max(progress.total, progress.done, 1);
    const payload = {
      source: progress.source,
      points: progress.points ?? 0,
      moved: formatByteSize(progress.bytes ?? 0),
      left: formatTimeLeft(progress.etaSeconds) ?? '?',
    };
    if (!active) {
      bar.start(total, progress.done, payload);
      active = true;
    } else {
      bar.setTotal(total);
      bar.update(progress.done, payload);
    }
  });
  return () => {
    unsubscribe();
    if (active) bar.stop();
  };
}
