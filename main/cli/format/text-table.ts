export interface Column {
  header: string;
  /** Longest a cell may be before it is cut with an ellipsis. */
  max: number;
  align?: 'left' | 'right';
}

/** Escape sequences and control characters would move the cursor or recolour the terminal. */
function clean(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- matching terminal escapes is the point
      .replace(/\u001b\[[0-?]*[ -/]*[@-~]/gu, '')
      // eslint-disable-next-line no-control-regex -- as above, for bare control characters
      .replace(/[\u0000-\u001f\u007f]+/gu, ' ')
  );
}

export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return max <= 1 ? '…' : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Aligned columns for a terminal. Cells are cut to their column's maximum, then the widest
 * columns shrink further until the table fits `width`.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  width: number,
): string {
  const cells = rows.map((row) =>
    columns.map((column, i) => truncate(clean(row[i] ?? ''), column.max)),
  );
  const widths = columns.map((column, i) =>
    Math.max([...column.header].length, ...cells.map((row) => [...(row[i] ?? '')].length)),
  );
  const gap = 2;
  const total = () => widths.reduce((sum, w) => sum + w, 0) + gap * (columns.length - 1);
  while (total() > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] ?? 0) <= 8) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  const line = (row: readonly string[]) =>
    columns
      .map((column, i) => {
        const text = truncate(row[i] ?? '', widths[i] ?? 0);
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...text].length));
        return column.align === 'right' ? pad + text : i === columns.length - 1 ? text : text + pad;
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}
