/**
 * Mean and standard deviation of several runs' curves (seeds of one configuration), on a common
 * x grid. Runs rarely log at exactly the same steps (and downsampled traces never keep the same
 * points), so every run is read at each grid x by linear interpolation between its own points,
 * and only inside the x range it covers: a run that stopped early does not drag the mean.
 */

export interface XYSeries {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface GroupStats {
  x: Float64Array;
  mean: Float64Array;
  /** Sample standard deviation (n - 1); 0 where one run has a value, NaN where none has. */
  std: Float64Array;
  /** How many runs had a finite value at each x. */
  count: Int32Array;
}

interface Curve {
  x: Float64Array;
  y: Float64Array;
}

/** Points with a finite x, sorted by x; repeated x collapse to the mean of their finite y. */
function toCurve(series: XYSeries): Curve {
  const order: number[] = [];
  for (let i = 0; i < series.x.length; i++) if (Number.isFinite(series.x[i])) order.push(i);
  order.sort((a, b) => (series.x[a] as number) - (series.x[b] as number) || a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < order.length;) {
    const x = series.x[order[k] as number] as number;
    let sum = 0;
    let finite = 0;
    while (k < order.length && series.x[order[k] as number] === x) {
      const y = series.y[order[k] as number] as number;
      if (Number.isFinite(y)) {
        sum += y;
        finite++;
      }
      k++;
    }
    xs.push(x);
    ys.push(finite > 0 ? sum / finite : NaN);
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

/** The sorted union of every run's x, thinned evenly to at most maxPoints (ends kept). */
function commonGrid(curves: readonly Curve[], maxPoints: number): Float64Array {
  const all = new Set<number>();
  for (const curve of curves) for (const x of curve.x) all.add(x);
  const sorted = Float64Array.from(all).sort();
  const budget = Math.max(2, Math.floor(maxPoints));
  if (sorted.length <= budget) return sorted;
  const out = new Float64Array(budget);
  for (let k = 0; k < budget; k++) {
    out[k] = sorted[Math.round((k * (sorted.length - 1)) / (budget - 1))] as number;
  }
  return out;
}

export function groupStats(series: readonly XYSeries[], maxPoints = 4000): GroupStats {
  const curves = series.map(toCurve).filter((curve) => curve.x.length > 0);
  const x = commonGrid(curves, maxPoints);
  const n = x.length;
  // Welford's running mean and squared deviations: sums of squares cancel badly for a loss of
  // 1e6 ± 0.01.
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  const count = new Int32Array(n);
  for (const curve of curves) {
    let j = 0;
    const last = curve.x.length - 1;
    for (let g = 0; g < n; g++) {
      const gx = x[g] as number;
      if (gx < (curve.x[0] as number) || gx > (curve.x[last] as number)) continue;
      while (j < last && (curve.x[j + 1] as number) <= gx) j++;
      const x0 = curve.x[j] as number;
      const y0 = curve.y[j] as number;
      let y: number;
      if (x0 === gx || j === last) y = y0;
      else {
        const x1 = curve.x[j + 1] as number;
        const y1 = curve.y[j + 1] as number;
        y = y0 + ((y1 - y0) * (gx - x0)) / (x1 - x0);
      }
      // NaN (a gap in this run) or an infinite value leaves the run out at this x.
      if (!Number.isFinite(y)) continue;
      const c = (count[g] as number) + 1;
      const delta = y - (mean[g] as number);
      mean[g] = (mean[g] as number) + delta / c;
      m2[g] = (m2[g] as number) + delta * (y - (mean[g] as number));
      count[g] = c;
    }
  }
  const std = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    const c = count[g] as number;
    if (c === 0) {
      mean[g] = NaN;
      std[g] = NaN;
    } else {
      std[g] = c > 1 ? Math.sqrt(Math.max(0, (m2[g] as number) / (c - 1))) : 0;
    }
  }
  return { x, mean, std, count };
}
