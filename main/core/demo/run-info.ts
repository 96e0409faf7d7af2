import { largeNdarray, numpyScalar, smallNdarray } from './numpy-encoding';
import type { PyValue } from './python-json';
import { jsonpickleDatetime } from './python-time';
import type { Micros } from './python-time';
import type { SeededRandom } from './seeded-random';

/**
 * info.json content (written only when info is non-empty): custom data with `json://` keys
 * (non-string dict keys), numpy and datetime nodes, and `metrics` references when a Mongo
 * observer shared the run.
 */
export function generateInfo(
  rng: SeededRandom,
  metricNames: string[],
  start: Micros,
): { [key: string]: PyValue } {
  const info: { [key: string]: PyValue } = {};
  const perClass: { [key: string]: PyValue } = {};
  const classes = rng.int(2, 6);
  for (let c = 0; c < classes; c++) perClass[`json://${c}`] = rng.float(0.5, 1);
  info.per_class_acc = perClass;
  if (rng.chance(0.5)) {
    info.custom = {
      best_epoch: rng.int(1, 50),
      confusion_diag: smallNdarray('int64', [rng.int(80, 99), rng.int(80, 99), rng.int(80, 99)]),
      finished_loading: jsonpickleDatetime(start + rng.int(1, 60) * 1_000_000),
      'json://null': 'none-key',
      peak_mem_gb: numpyScalar(Math.round(rng.float(1, 40) * 100) / 100),
    };
  }
  if (rng.chance(0.3) && metricNames.length > 0) {
    info.metrics = metricNames.map((name) => ({ id: rng.hex(24), name }));
  }
  return info;
}

/** The run's return value as flatten() stores it. */
export function generateResult(rng: SeededRandom): PyValue {
  const kind = rng.weighted([
    ['null', 10],
    ['float', 40],
    ['int', 10],
    ['dict', 30],
    ['array', 10],
  ] as const);
  switch (kind) {
    case 'null':
      return null;
    case 'float':
      return rng.chance(0.03) ? NaN : rng.float(0.5, 0.99);
    case 'int':
      return rng.int(0, 1000);
    case 'dict':
      return {
        acc: rng.float(0.5, 0.99),
        loss: rng.chance(0.05) ? Infinity : rng.float(0.01, 1),
        per_seed: smallNdarray('float64', [rng.float(0.5, 1), rng.float(0.5, 1)]),
        steps: rng.int(100, 100000),
      };
    case 'array': {
      const values = new Float64Array(rng.int(17, 64)).map(() => rng.float(-1, 1));
      return largeNdarray(values);
    }
  }
}
