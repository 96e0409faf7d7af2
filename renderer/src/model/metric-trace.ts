import type { MetricSeries } from '../../../shared/contract';

export type XMode = 'step' | 'relative' | 'wall';

export interface LineTrace {
  type: 'scatter';
  mode: 'lines';
  name: string;
  x: (number | string | null)[];
  y: (number | null)[];
  connectgaps: false;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Wall time as a zone-less string in the viewer's local time (plotly shows it as given). */
function localDateString(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/**
 * One plotly line trace for a metric. NaN values become null so plotly draws a gap instead of
 * dropping the point silently; x is the step, seconds since `startMs`, or local wall time.
 */
export function metricTrace(series: MetricSeries, xMode: XMode, startMs: number): LineTrace {
  const n = series.values.length;
  const x: (number | string | null)[] = new Array<number | string | null>(n);
  const y: (number | null)[] = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const value = series.values[i] as number;
    y[i] = Number.isFinite(value) ? value : null;
    if (xMode === 'step') {
      const step = series.steps[i] as number;
      x[i] = Number.isFinite(step) ? step : null;
    } else {
      const t = series.timestamps[i] as number;
      if (!Number.isFinite(t)) x[i] = null;
      else x[i] = xMode === 'relative' ? (t - startMs) / 1000 : localDateString(t);
    }
  }
  return { type: 'scatter', mode: 'lines', name: series.name, x, y, connectgaps: false };
}

/** Where "time since start" counts from: the run start, else the earliest point. */
export function metricsStartMs(startTime: string | null, series: readonly MetricSeries[]): number {
  const start = startTime === null ? NaN : Date.parse(startTime);
  if (Number.isFinite(start)) return start;
  let min = Infinity;
  for (const s of series) for (const t of s.timestamps) if (Number.isFinite(t) && t < min) min = t;
  return Number.isFinite(min) ? min : 0;
}
