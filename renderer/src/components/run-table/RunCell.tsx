import type { ReactNode } from 'react';
import type { JsonValue, QueryRow } from '../../../../shared/contract';
import type { ColumnDisplay } from '../../model/table-columns';
import { plainValueText } from '../../model/table-columns';
import { compactValue, formatDuration } from '../../model/format';
import type { NumberFormat } from '../../model/column-number-format';
import { formatWith } from '../../model/column-number-format';
import { isLive } from '../../model/live-duration';
import { LocalTime } from '../common/LocalTime';
import { LiveDuration } from './LiveDuration';
import { TagsCell } from './TagsCell';
import { StatusBadge } from '../common/StatusBadge';

/**
 * One cell's content: status as a badge, times local, durations readable, values compact.
 * A plain function, not a component, and the hook-free pieces (status, time) are called the
 * same way: a fling renders ~40 rows of ~10 cells every frame, and each component in a cell
 * is one more fiber for React to create, render and compare (most of a frame's script).
 * `row` is undefined while its page loads: nothing (the row draws a placeholder bar).
 * `format` is the column's number format (one per column); compact per value without it.
 */
export function runCellContent(
  row: QueryRow | undefined,
  column: ColumnDisplay,
  format: NumberFormat | undefined,
): ReactNode {
  if (row === undefined) return null;
  const value: JsonValue | undefined = row.values[column.id];
  const [root] = column.path;
  const single = column.path.length === 1;
  if (single && root === 'status') {
    return StatusBadge({
      run: {
        status: typeof value === 'string' ? value : row.status,
        probablyDead: row.probablyDead,
        unreadable: row.status === 'UNREADABLE' ? 'the run could not be read' : null,
      },
    });
  }
  if (single && root === 'duration' && isLive(row.status, row.probablyDead)) {
    const start = row.values['start_time'];
    return (
      <LiveDuration
        // Its own per run: the table reuses a row's cells for whichever run comes to its place.
        key={`${row.source}\u0000${row.id}`}
        startIso={typeof start === 'string' ? start : undefined}
        storedSeconds={typeof value === 'number' ? value : undefined}
      />
    );
  }
  if (single && root === 'tags') {
    const tags = Array.isArray(value)
      ? value.filter((t): t is string => typeof t === 'string')
      : [];
    return <TagsCell source={row.source} id={row.id} tags={tags} />;
  }
  if (value === undefined) return null;
  if (single && root === 'duration' && typeof value === 'number') {
    return formatDuration(value * 1000);
  }
  if (single && root === 'dead') {
    return value === true ? <span title="probably dead">☠</span> : null;
  }
  if (column.type === 'date' && typeof value === 'string') return LocalTime({ iso: value });
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.join(', ');
  }
  if (value === null) return <span className="muted">null</span>;
  if (typeof value === 'number' && format !== undefined) return formatWith(format, value);
  return compactValue(value, 80);
}

/** The tooltip of a cell whose text may be cut off. */
export function cellTitle(row: QueryRow, column: ColumnDisplay): string | undefined {
  const text = plainValueText(row.values[column.id]);
  return text.length > 12 ? text : undefined;
}
