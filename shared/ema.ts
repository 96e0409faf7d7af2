/**
 * Exponential moving average as TensorBoard's smoothing slider does it, with debiasing: a plain
 * EMA starts at 0 (or at the first value) and drags the first points towards it; dividing by
 * 1 - smoothing^k (k = finite points seen so far) makes the early estimate an honest average.
 */
export function emaDebiased(values: ArrayLike<number>, smoothing: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (!(smoothing > 0) || smoothing >= 1) {
    // 0 (or nonsense) means no smoothing; 1 would freeze the line at its first value forever.
    for (let i = 0; i < n; i++) out[i] = values[i] as number;
    return out;
  }
  let state = 0;
  let weight = 1;
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) {
      // NaN stays a gap and ±Infinity stays visible as what it is; neither poisons the average.
      out[i] = value;
      continue;
    }
    state = smoothing * state + (1 - smoothing) * value;
    weight *= smoothing;
    out[i] = state / (1 - weight);
  }
  return out;
}
