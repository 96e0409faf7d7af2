import { deadAfterMs } from '../../../shared/probably-dead';
import { Column, Kind } from './column';
import type { SourceSegment } from './source-segment';

/**
 * "Probably dead" (shared/probably-dead.ts) for every run of a segment at `nowMs`: RUNNING
 * with heartbeat (else start time) older than the rule. Depends on the clock, so it is
 * computed per query and never cached.
 */
export function deadColumn(segment: SourceSegment, nowMs: number): Column {
  const column = new Column(segment.length);
  const running = segment.status.dict.indexOf('RUNNING');
  const codes = segment.status.codes;
  for (let i = 0; i < segment.length; i++) {
    let dead = false;
    if (running >= 0 && codes !== null && codes[i] === running) {
      const last =
        segment.heartbeat.kinds[i] === Kind.Date
          ? segment.heartbeat.nums[i]
          : segment.startTime.kinds[i] === Kind.Date
            ? segment.startTime.nums[i]
            : undefined;
      dead =
        last !== undefined &&
        nowMs - (last as number) > deadAfterMs(segment.beatIntervalS[i] as number);
    }
    column.setBool(i, dead);
  }
  return column;
}

export function isDeadAt(segment: SourceSegment, row: number, nowMs: number): boolean {
  if (segment.status.dict[segment.status.code(row)] !== 'RUNNING') return false;
  const last =
    segment.heartbeat.kinds[row] === Kind.Date
      ? segment.heartbeat.nums[row]
      : segment.startTime.kinds[row] === Kind.Date
        ? segment.startTime.nums[row]
        : undefined;
  return (
    last !== undefined &&
    nowMs - (last as number) > deadAfterMs(segment.beatIntervalS[row] as number)
  );
}
