import type { ExportResult } from '../../../shared/contract';
import type { CacheStore } from '../cache/cache-store';
import type { MetricPoints } from '../cache/cache-rows';
import { csvCell, csvLines } from './export-runs';
import type { ExportProgressReport } from './export-runs';
import type { ExportSink } from './export-sink';
import type { OrderedRuns, QueryEngine, RunQuery } from './query-engine';
import { resolveColumn } from './query-engine';

export type MetricLayout = 'steps-as-rows' | 'steps-as-columns';

/**
 * Metric points of the runs of a query as CSV, in the Altar extractor's two layouts:
 * - steps-as-rows: `<columns>,step,<metric...>`, a line per run and step (empty where a
 *   metric has no point at that step);
 * - steps-as-columns: `<columns>,metric,<step...>`, a line per run and metric, one column
 *   per step seen in any exported metric.
 * A step logged twice keeps its last value.
 */
export async function exportMetrics(
  engine: QueryEngine,
  store: CacheStore,
  query: RunQuery & { columns?: string[] | undefined; metrics: string[]; layout: MetricLayout },
  sink: ExportSink,
  onProgress: (report: ExportProgressReport) => void,
): Promise<Omit<ExportResult, 'text' | 'path'>> {
  const columns = (query.columns ?? ['source', 'id']).map(resolveColumn);
  const ordered = engine.ordered(query);
  const total = ordered.total;
  const runCells = (k: number): string[] =>
    columns.map((column) => csvCell(engine.value(ordered, k, column)));
  const ids = columns.map((column) => column.id);
  let lines = 0;

  if (query.layout === 'steps-as-rows') {
    await sink.write(csvLines([[...ids, 'step', ...query.metrics]]));
    for (let k = 0; k < total; k++) {
      const series = query.metrics.map((name) => stepValues(points(store, ordered, k, name)));
      const steps = unionSteps(series);
      const prefix = runCells(k);
      const rows = steps.map((step) => [
        ...prefix,
        csvCell(step),
        ...series.map((values) => (values.has(step) ? csvCell(values.get(step)) : '')),
      ]);
      lines += rows.length;
      await sink.write(csvLines(rows));
      if ((k + 1) % 100 === 0 || k === total - 1) onProgress({ done: k + 1, total });
    }
  } else {
    // The header needs every step first: one pass for the steps, one for the lines.
    const all = new Set<number>();
    for (let k = 0; k < total; k++) {
      for (const name of query.metrics) {
        const series = points(store, ordered, k, name);
        if (series !== null) for (const step of series.steps) all.add(step);
      }
    }
    const steps = [...all].sort((a, b) => a - b);
    await sink.write(csvLines([[...ids, 'metric', ...steps.map((step) => csvCell(step))]]));
    for (let k = 0; k < total; k++) {
      const prefix = runCells(k);
      const rows: string[][] = [];
      for (const name of query.metrics) {
        const series = points(store, ordered, k, name);
        if (series === null) continue;
        const values = stepValues(series);
        rows.push([
          ...prefix,
          name,
          ...steps.map((step) => (values.has(step) ? csvCell(values.get(step)) : '')),
        ]);
      }
      lines += rows.length;
      await sink.write(csvLines(rows));
      if ((k + 1) % 100 === 0 || k === total - 1) onProgress({ done: k + 1, total });
    }
  }
  return { rows: lines, bytes: sink.bytes };
}

function points(
  store: CacheStore,
  ordered: OrderedRuns,
  k: number,
  name: string,
): MetricPoints | null {
  const position = ordered.order[k] as number;
  const segment = ordered.segments[ordered.segOf[position] as number];
  if (segment === undefined) return null;
  return store.getMetricPoints(
    segment.source,
    segment.ids[ordered.rowOf[position] as number] as string,
    name,
  );
}

function stepValues(series: MetricPoints | null): Map<number, number | string> {
  const map = new Map<number, number | string>();
  if (series === null) return map;
  for (let i = 0; i < series.count; i++) {
    const value = series.values[i] as number;
    map.set(series.steps[i] as number, Number.isFinite(value) ? value : String(value));
  }
  return map;
}

function unionSteps(series: readonly Map<number, unknown>[]): number[] {
  const steps = new Set<number>();
  for (const values of series) for (const step of values.keys()) steps.add(step);
  return [...steps].sort((a, b) => a - b);
}
