import type { MetricSummary } from '../../../shared/contract';
import { configLeafMap, diffCellText } from '../../../shared/config-diff';

/** One axis of the parallel coordinates or the scatter: a number per run, NaN when missing. */
export interface CompareAxis {
  label: string;
  values: number[];
  /** For text-valued keys: the categories placed at 0, 1, 2… */
  ticktext?: string[];
}

export type SummaryKind = 'last' | 'min' | 'max';

/** [lo, hi], several such ranges (an axis brushed more than once), or null: no constraint. */
export type ConstraintRange = [number, number] | [number, number][] | null;

function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return NaN;
}

function isNumberLike(value: unknown): boolean {
  return (
    typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity'
  );
}

/**
 * A config key as an axis: numeric when every run that has it holds a number (booleans and
 * texts become categories in sorted order, so the axis still separates the runs).
 */
export function configAxis(path: string, configs: readonly unknown[]): CompareAxis {
  const raw = configs.map((config) => {
    const map = configLeafMap(config);
    return map.has(path)
      ? { present: true, value: map.get(path) }
      : { present: false, value: undefined };
  });
  const present = raw.filter((item) => item.present);
  if (present.every((item) => isNumberLike(item.value))) {
    return { label: path, values: raw.map((item) => (item.present ? asNumber(item.value) : NaN)) };
  }
  const texts = raw.map((item) => (item.present ? diffCellText(item.value) : null));
  const categories = [...new Set(texts.filter((t): t is string => t !== null))].sort();
  return {
    label: path,
    values: texts.map((text) => (text === null ? NaN : categories.indexOf(text))),
    ticktext: categories,
  };
}

/** A metric summary as a number: NaN when the run did not log the metric. */
export function metricSummaryValue(
  metrics: readonly MetricSummary[],
  name: string,
  kind: SummaryKind,
): number {
  const metric = metrics.find((m) => m.name === name);
  if (metric === undefined) return NaN;
  const value = metric[kind];
  return value === null ? NaN : asNumber(value);
}

function rangesOf(constraint: ConstraintRange): [number, number][] {
  if (constraint === null || constraint.length === 0) return [];
  const first = constraint[0];
  const list = Array.isArray(first)
    ? (constraint as [number, number][])
    : [constraint as [number, number]];
  return list.map(([a, b]) => (a <= b ? [a, b] : [b, a]));
}

/**
 * Brushing: the runs whose value lies inside the constraint of every constrained axis (any of
 * an axis's ranges). A run without a value on a constrained axis is outside. With no
 * constraint at all every run is selected, as plotly draws them all highlighted.
 */
export function runsInsideConstraints(
  runKeys: readonly string[],
  axes: readonly CompareAxis[],
  constraints: readonly ConstraintRange[],
): string[] {
  return runKeys.filter((_, run) =>
    axes.every((axis, index) => {
      const ranges = rangesOf(constraints[index] ?? null);
      if (ranges.length === 0) return true;
      const value = axis.values[run] ?? NaN;
      return ranges.some(([lo, hi]) => value >= lo && value <= hi);
    }),
  );
}

/** The run keys of a scatter `plotly_selected` event (each point carries its key). */
export function runsOfSelectedPoints(event: unknown): string[] {
  if (event === null || typeof event !== 'object') return [];
  const points = (event as { points?: unknown }).points;
  if (!Array.isArray(points)) return [];
  const keys: string[] = [];
  for (const point of points) {
    const key = (point as { customdata?: unknown } | null)?.customdata;
    if (typeof key === 'string' && !keys.includes(key)) keys.push(key);
  }
  return keys;
}
