/** The window benchmark's table: one row per thing the user does, with its goal and verdict. */
export interface BenchRow {
  what: string;
  measured: string;
  baseline: string;
  goal: string;
  /** null: not decidable here (the figure could not be read). */
  pass: boolean | null;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** A Markdown table, ready to paste into docs/performance.md. */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = [
    '| what the user does | measured | baseline in the same run | goal | verdict |',
    '|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const verdict = row.pass === null ? 'n/a' : row.pass ? 'PASS' : 'MISS';
    lines.push(
      `| ${[row.what, row.measured, row.baseline, row.goal, verdict].map(cell).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
