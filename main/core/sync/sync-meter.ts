import type { SyncProgress } from '../../../shared/events';

/** At most this many `reading` events per second: a 20k-run sync must not flood IPC or SSE. */
const MIN_REPORT_INTERVAL_MS = 100;

/**
 * Counts what a sync has moved (runs, metric points, bytes) and reports it as `syncProgress`
 * events with an ETA from the pace so far. `reading` events are throttled; the phases around
 * them (`scanning`, `done`, `failed`) always go out.
 */
export class SyncMeter {
  done = 0;
  total = 0;
  points = 0;
  bytes = 0;
  private readingSince: number | null = null;
  private lastReport = -Infinity;

  constructor(
    private readonly source: string,
    private readonly emit: ((progress: SyncProgress) => void) | undefined,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  scanning(): void {
    this.send('scanning', null, null);
  }

  /** The list of runs to read is known: the ETA counts from here. */
  startReading(total: number): void {
    this.total = total;
    this.readingSince = this.clock();
  }

  reading(runId: string): void {
    const now = this.clock();
    const last = this.done + 1 >= this.total;
    if (!last && this.done > 0 && now - this.lastReport < MIN_REPORT_INTERVAL_MS) return;
    this.lastReport = now;
    this.send('reading', runId, null);
  }

  finished(): void {
    this.send('done', null, null);
  }

  failed(message: string): void {
    this.send('failed', null, message);
  }

  /** Seconds left at the pace since reading started; null before any run is done. */
  etaSeconds(): number | null {
    if (this.readingSince === null || this.done === 0 || this.total <= 0) return null;
    const elapsedMs = this.clock() - this.readingSince;
    const left = Math.max(0, this.total - this.done);
    return Math.round(((elapsedMs / this.done) * left) / 100) / 10;
  }

  private send(phase: SyncProgress['phase'], runId: string | null, message: string | null): void {
    if (this.emit === undefined) return;
    const finished = phase === 'done';
    this.emit({
      source: this.source,
      phase,
      done: phase === 'failed' ? this.done : finished ? this.total : this.done,
      total: this.total,
      runId,
      message,
      points: this.points,
      bytes: this.bytes,
      etaSeconds: finished ? 0 : this.etaSeconds(),
    });
  }
}
