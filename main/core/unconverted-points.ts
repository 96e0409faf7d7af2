/**
 * Metric points a reader could not take as they were written: values that were not numbers
 * (a string "high", an object) and so became NaN, and times that could not be read and so
 * became "no time". Counted, never changed silently: each reader turns the counts into a
 * note on the run (RunDetail.warnings).
 */
export interface UnconvertedPoints {
  notNumbers: number;
  badTimes: number;
}

/** Point arrays decoded away from the metric (raw BSON) → how many of their points were lost. */
const lostIn = new WeakMap<Float64Array, number>();

export function noteLost(points: Float64Array, count: number): void {
  if (count > 0) lostIn.set(points, (lostIn.get(points) ?? 0) + count);
}

export function lostOf(points: unknown): number {
  return points instanceof Float64Array ? (lostIn.get(points) ?? 0) : 0;
}

/** The note a run shows, or null when nothing was lost. */
export function unconvertedWarnings(metric: string, lost: UnconvertedPoints): string[] {
  const out: string[] = [];
  if (lost.notNumbers > 0) {
    out.push(
      `metric "${metric}": ${lost.notNumbers} ${lost.notNumbers === 1 ? 'value was' : 'values were'} not numbers (kept as NaN)`,
    );
  }
  if (lost.badTimes > 0) {
    out.push(
      `metric "${metric}": ${lost.badTimes} ${lost.badTimes === 1 ? 'time was not a readable time' : 'times were not readable times'} (kept as no time)`,
    );
  }
  return out;
}
