import type { Cell, TableOptions } from './table-file';
import { BadInputFile, readTableFile } from './table-file';

/** One metric series as it will be logged: steps and values of equal length. */
export interface MetricSeries {
  name: string;
  steps: number[];
  values: number[];
}

export interface MetricsReadOptions extends TableOptions {
  /** The first row names the columns (default true); else columns are named 0, 1, … */
  header?: boolean;
  /** Columns to send; default every column but the x-axis. */
  columns?: readonly string[];
  /** The column whose values are the steps; default 0, 1, … per series. */
  xAxis?: string;
}

/**
 * A metrics table (CSV or xlsx), one series per chosen column. A column shorter than the others
 * keeps its own length: the old sender cut every series to the shortest (l.104-116).
 */
export async function readMetricsFile(
  path: string,
  shownName: string,
  options: MetricsReadOptions = {},
): Promise<MetricSeries[]> {
  return metricsOfRows(await readTableFile(path, shownName, options), shownName, options);
}

export function metricsOfRows(
  rows: readonly Cell[][],
  shownName: string,
  options: MetricsReadOptions = {},
): MetricSeries[] {
  const header = options.header ?? true;
  const width = Math.max(0, ...rows.map((row) => row.length));
  const names =
    header && rows[0] !== undefined
      ? Array.from({ length: width }, (_v, i) => String(rows[0]?.[i] ?? `${i}`))
      : Array.from({ length: width }, (_v, i) => String(i));
  const body = header ? rows.slice(1) : rows;
  const indexOf = (name: string): number => {
    const index = names.indexOf(name);
    if (index < 0) {
      throw new BadInputFile(shownName, `has no column "${name}" (columns: ${names.join(', ')})`);
    }
    return index;
  };
  const xIndex = options.xAxis === undefined ? null : indexOf(options.xAxis);
  const chosen = (options.columns ?? names.filter((_n, i) => i !== xIndex)).map(indexOf);
  return chosen.map((column) => {
    const series: MetricSeries = { name: names[column] as string, steps: [], values: [] };
    body.forEach((row, rowIndex) => {
      const cell = row[column] ?? null;
      if (cell === null) return;
      const value = numberOf(cell, shownName, series.name, rowIndex + (header ? 2 : 1));
      let step = series.values.length;
      if (xIndex !== null) {
        const x = row[xIndex] ?? null;
        if (x === null) return;
        step = numberOf(x, shownName, names[xIndex] as string, rowIndex + (header ? 2 : 1));
      }
      series.steps.push(step);
      series.values.push(value);
    });
    return series;
  });
}

function numberOf(cell: Cell, shownName: string, column: string, row: number): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  throw new BadInputFile(
    shownName,
    `row ${row} of column "${column}" is not a number ("${String(cell).slice(0, 40)}")`,
  );
}
