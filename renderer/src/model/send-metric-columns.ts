/**
 * The metric columns of a metrics table as the send names them: the header row's cells, or
 * 0, 1, … without a header (main/core/send/metrics-file.ts does the same).
 */
export function metricColumnNames(
  table: readonly (readonly (string | number | boolean | null)[])[] | null,
  header: boolean,
): string[] {
  if (table === null || table.length === 0) return [];
  const width = Math.max(0, ...table.map((row) => row.length));
  return Array.from({ length: width }, (_v, index) => {
    const cell = header ? table[0]?.[index] : undefined;
    return cell === undefined || cell === null ? String(index) : String(cell);
  });
}

/**
 * The chosen columns after the user ticked or unticked `name`. An empty list means every
 * column but the x-axis (what the send does without a choice), so ticking all returns to it;
 * the last ticked column cannot be unticked (a metrics file with no series sends nothing).
 */
export function toggledMetricColumn(
  columns: readonly string[],
  xAxis: string,
  chosen: readonly string[],
  name: string,
): string[] {
  const series = columns.filter((column) => column !== xAxis);
  const current = chosen.length === 0 ? series : series.filter((column) => chosen.includes(column));
  const next = current.includes(name)
    ? current.filter((column) => column !== name)
    : series.filter((column) => column === name || current.includes(column));
  if (next.length === 0) return [...chosen];
  return next.length === series.length ? [] : next;
}
