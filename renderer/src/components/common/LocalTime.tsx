import { formatLocalTime, formatUtcTitle } from '../../model/format';

/** A time in the viewer's zone; hovering shows the UTC value Sacred stored. */
export function LocalTime({ iso }: { iso: string | null }) {
  if (iso === null) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatUtcTitle(iso)}>
      {formatLocalTime(iso)}
    </time>
  );
}
