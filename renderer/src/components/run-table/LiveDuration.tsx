import { useState } from 'react';
import { useNow } from '../../hooks/use-now';
import { formatDuration } from '../../model/format';
import { liveDurationMs } from '../../model/live-duration';

/** A RUNNING run's duration, counted to now and ticking each second. */
export function LiveDuration({
  startIso,
  storedSeconds,
}: {
  startIso: string | null | undefined;
  storedSeconds: number | null | undefined;
}) {
  const [seenAt] = useState(() => Date.now());
  const now = useNow(true);
  const ms = liveDurationMs(startIso, storedSeconds, seenAt, now);
  return (
    <span data-testid="live-duration" title="still running: duration so far">
      {formatDuration(ms)}
    </span>
  );
}
