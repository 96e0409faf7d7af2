import type { SeededRandom } from './seeded-random';
import type { Micros } from './python-time';

/**
 * A metric described by pure functions of the point index, so a 2M-point series can be
 * written column by column (steps, timestamps, values) without ever being held in memory.
 */
export interface MetricPlan {
  name: string;
  count: number;
  step(i: number): number;
  /** null stands for a Python None logged as a value. */
  value(i: number): number | null;
  /** Whether values are Python ints (written without a fraction). */
  integer: boolean;
  time(i: number): Micros;
}

type Kind = 'loss' | 'acc' | 'lr' | 'count' | 'gradnorm' | 'duration';

export const metricCatalog: readonly (readonly [string, Kind])[] = [
  ['train.loss', 'loss'],
  ['val.loss', 'loss'],
  ['train.acc', 'acc'],
  ['val.acc', 'acc'],
  ['lr', 'lr'],
  ['samples_seen', 'count'],
  ['grad.norm', 'gradnorm'],
  ['epoch_time', 'duration'],
  ['test.loss', 'loss'],
  ['reward.mean', 'acc'],
];

/** Deterministic noise in [0, 1) for (seed, index), independent of evaluation order. */
export function hash01(seed: number, index: number): number {
  let t = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
  t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
}

const NAN_SHARE = 0.001;

export interface MetricTiming {
  start: Micros;
  end: Micros;
  beatIntervalS: number;
}

export function planMetric(
  rng: SeededRandom,
  name: string,
  kind: Kind,
  count: number,
  timing: MetricTiming,
): MetricPlan {
  const seed = rng.int(1, 0x7fffffff);
  const stepMode = rng.weighted([
    ['sequential', 60],
    ['strided', 20],
    ['repeated', 10],
    ['reset', 10],
  ] as const);
  const stride = rng.pick([5, 10, 50, 100]);
  const resetEvery = Math.max(2, Math.round(count / rng.int(2, 8)));
  const step = (i: number): number => {
    if (stepMode === 'strided') return i * stride;
    if (stepMode === 'repeated') return Math.floor(i / 2);
    if (stepMode === 'reset') return i % resetEvery;
    return i;
  };

  // Points arrive in bursts (one per logging loop), bursts spaced out over the run's lifetime.
  const burstSize = rng.int(1, 20);
  const bursts = Math.max(1, Math.ceil(count / burstSize));
  const span = Math.max(0, timing.end - timing.start - 1_000_000);
  const gap = Math.max(
    1000,
    Math.min(timing.beatIntervalS * 1_000_000, Math.floor(span / bursts)) || 1000,
  );
  const time = (i: number): Micros => {
    const burst = Math.floor(i / burstSize);
    const within = i % burstSize;
    return (
      timing.start + 500_000 + burst * gap + within * (15 + Math.floor(hash01(seed ^ 0x55, i) * 40))
    );
  };

  const tau = Math.max(1, count / rng.float(2, 8));
  const scale = rng.float(0.5, 3);
  const floor = rng.float(0.01, 0.3);
  const noise = rng.float(0.01, 0.08);
  const lr0 = rng.pick([0.1, 0.03, 0.01, 0.001]);
  const decayEvery = Math.max(1, Math.round(count / rng.int(2, 5)));
  const batch = rng.pick([32, 64, 128, 256]);
  const jitter = (i: number): number => (hash01(seed, i) - 0.5) * 2;
  const shape = (i: number): number | null => {
    switch (kind) {
      case 'loss':
        return scale * Math.exp(-i / tau) + floor + noise * jitter(i) * (floor + 0.1);
      case 'acc':
        return Math.min(
          1,
          Math.max(0, 1 - (1 - floor) * Math.exp(-i / tau) - floor * 0.5 + noise * jitter(i) * 0.3),
        );
      case 'lr':
        return lr0 * 0.5 ** Math.floor(i / decayEvery);
      case 'count':
        return (i + 1) * batch;
      case 'gradnorm': {
        const h = hash01(seed ^ 0x77, i);
        if (h < 0.0003) return h < 0.00015 ? Infinity : null;
        return Math.exp(jitter(i) * 1.5) * scale;
      }
      case 'duration':
        return 30 + 10 * jitter(i);
    }
  };
  const integer = kind === 'count';
  const value = (i: number): number | null => {
    if (!integer && hash01(seed ^ 0x33, i) < NAN_SHARE) return NaN;
    return shape(i);
  };
  return { name, count, step, value, integer, time };
}
