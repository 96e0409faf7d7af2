import type { JsonObject, JsonValue } from '../../shared/contract';
import type { CacheStore } from '../../main/core/cache/cache-store';
import { SeededRandom } from '../../main/core/demo/seeded-random';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';

/**
 * Generated runs for the run table's tests and benchmark, written straight into the cache:
 * `configKeys` config leaves (nested, some keys holding dots and `$`, mixed types, missing
 * keys), `metrics` metrics per run, tags, notes, statuses including stale RUNNING ones.
 */
export interface RunTableDataOptions {
  runs: number;
  seed?: number;
  configKeys?: number;
  metrics?: number;
  pointsPerMetric?: number;
  /**
   * Lab-like metric lengths instead of `pointsPerMetric`: each metric's point count is drawn
   * log-uniformly between min and max (the run-table benchmark's 1k–100k).
   */
  metricPoints?: { min: number; max: number };
  /**
   * Lab-like free text: experiment names from a pool growing with the run count (sweeps named
   * by date and variant) and a comment on most runs with distinct words and numbers, so a
   * free-text search cannot lean on a handful of distinct values.
   */
  distinctText?: boolean;
  /** The clock the RUNNING runs' heartbeats are relative to. */
  nowMs?: number;
}

/** Config and metric columns as the catalog adds them to the table of this data (benches). */
export const CATALOG_ADDED_COLUMNS = [
  'config.g1.p4',
  'config.optimizer.lr',
  'config.name',
  'config.seed',
  'config.model.depth',
  'metrics.metric_0.last',
  'metrics."val.loss".last',
  'metrics.metric_2.last',
  'metrics.metric_3.last',
];

export const EXPERIMENTS = [
  'mnist_cnn',
  'resnet_cifar',
  'bert_finetune',
  'ppo_cartpole',
  'gan faces',
];
export const STATUSES = [
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'FAILED',
  'RUNNING',
  'INTERRUPTED',
  'QUEUED',
];
const TAGS = ['baseline', 'best', 'ablation', 'debug', 'paper'];
const HOSTS = ['gpu-01', 'gpu-02', 'cpu-node', 'laptop'];

export function generateRun(
  id: string,
  random: SeededRandom,
  options: RunTableDataOptions,
): ParsedRun {
  const nowMs = options.nowMs ?? Date.UTC(2025, 0, 1);
  const status = random.pick(STATUSES);
  const run = emptyParsedRun(id, status);
  run.experiment = options.distinctText
    ? `${random.pick(EXPERIMENTS)}_${random.pick(VARIANTS)}_${random.int(1, Math.max(1, Math.ceil(options.runs / 50)))}`
    : random.pick(EXPERIMENTS);
  run.command = random.pick(['main', 'train', 'evaluate']);
  run.hostname = random.pick(HOSTS);
  const start = nowMs - random.int(60, 90 * 24 * 3600) * 1000;
  if (status !== 'QUEUED') run.startTime = new Date(start).toISOString();
  if (status === 'RUNNING') {
    // Half of the running runs have a stale heartbeat: "probably dead".
    const age = random.chance(0.5) ? random.int(1, 60) : random.int(600, 100_000);
    run.heartbeat = new Date(nowMs - age * 1000).toISOString();
  } else if (status !== 'QUEUED') {
    const stop = start + random.int(5, 20_000) * 1000;
    run.stopTime = new Date(stop).toISOString();
    run.heartbeat = run.stopTime;
  }
  run.config = generateConfig(random, options.configKeys ?? 50);
  run.result =
    status === 'COMPLETED'
      ? random.chance(0.8)
        ? round(random.next())
        : { acc: round(random.next()) }
      : null;
  if (options.distinctText) {
    if (random.chance(0.8)) run.comment = distinctComment(random);
  } else if (random.chance(0.3))
    run.comment = random.pick(['first try', 'Looks GOOD', 'lr too high?', 'rerun of 12']);
  if (random.chance(0.4))
    run.tags = [random.pick(TAGS), ...(random.chance(0.3) ? [random.pick(TAGS)] : [])];
  run.meta = {
    options: { '--beat-interval': random.pick([10, 10, 60]) },
    ...(run.comment ? { comment: run.comment } : {}),
  };
  run.hostInfo = {
    hostname: run.hostname,
    cpu: random.pick(['Intel Xeon', 'AMD EPYC']),
    gpus: { count: random.int(0, 8) },
  };
  run.experimentInfo = { name: run.experiment, mainfile: 'train.py' };
  run.info = random.chance(0.5)
    ? { best_epoch: random.int(1, 100), 'a.b': random.pick(['x', 'y']) }
    : {};
  const metricCount = options.metrics ?? 5;
  const fixedPoints = options.pointsPerMetric ?? 10;
  for (let m = 0; m < metricCount; m++) {
    if (m > 0 && random.chance(0.1)) continue;
    const points = options.metricPoints ? logUniform(random, options.metricPoints) : fixedPoints;
    const values = new Float64Array(points);
    for (let p = 0; p < points; p++) values[p] = round(random.float(0, 2) / (p + 1));
    if (random.chance(0.02)) values[points - 1] = NaN;
    const steps = new Float64Array(points).map((_, p) => p);
    const timestamps = new Float64Array(points).map((_, p) => start + p * 1000);
    run.metrics.push({ name: m === 1 ? 'val.loss' : `metric_${m}`, steps, values, timestamps });
  }
  const artifacts = random.int(0, 3);
  for (let a = 0; a < artifacts; a++)
    run.artifacts.push({ name: `out_${a}.txt`, absPath: null, size: 10 });
  return run;
}

const VARIANTS = ['sweep', 'ablation', 'baseline', 'repro', 'lr_search', 'wide', 'deep'];
const WORDS = [
  'lr',
  'warmup',
  'diverged',
  'plateau',
  'GOOD',
  'bad',
  'rerun',
  'of',
  'seed',
  'batch',
  'clip',
  'grad',
  'nan',
  'after',
  'epoch',
  'resumed',
  'from',
  'checkpoint',
  'try',
  'bigger',
  'smaller',
  'model',
  'dropout',
  'weight',
  'decay',
  'cosine',
  'step',
  'schedule',
  'fixed',
  'bug',
];

/** A comment as people write them: a few words and numbers, mostly distinct across runs. */
function distinctComment(random: SeededRandom): string {
  const words: string[] = [];
  const count = random.int(2, 7);
  for (let w = 0; w < count; w++) {
    words.push(random.chance(0.3) ? String(random.int(1, 100_000)) : random.pick(WORDS));
  }
  return words.join(' ');
}

function logUniform(random: SeededRandom, range: { min: number; max: number }): number {
  const low = Math.log(Math.max(1, range.min));
  const high = Math.log(Math.max(range.min, range.max));
  return Math.max(1, Math.round(Math.exp(low + random.next() * (high - low))));
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function generateConfig(random: SeededRandom, keys: number): JsonObject {
  const config: JsonObject = {
    seed: random.int(0, 1000),
    optimizer: { lr: random.pick([0.1, 0.01, 0.001, 0.0001]), name: random.pick(['adam', 'sgd']) },
    model: { depth: random.int(1, 50), 'drop.out': random.pick([0, 0.1, 0.5]) },
    data: { path: random.pick(['/data/imagenet', '/data/cifar', '/data/MNIST']), $ref: 'x' },
    name: random.pick(['alpha', 'beta', 'Gamma', 'delta', 'epsilon', 'ZETA']),
    flag: random.chance(0.5),
    layers: [random.int(8, 64), random.int(8, 64)],
  };
  if (random.chance(0.3)) config['tags'] = [random.pick(TAGS)];
  if (random.chance(0.2)) config['maybe'] = random.pick<JsonValue>([1, 'one', null, true, [1, 2]]);
  if (random.chance(0.1))
    config['when'] = new Date(Date.UTC(2024, random.int(0, 11), random.int(1, 28))).toISOString();
  const groups = Math.max(1, Math.ceil((keys - 12) / 10));
  let made = 12;
  for (let g = 0; g < groups && made < keys; g++) {
    const group: JsonObject = {};
    for (let k = 0; k < 10 && made < keys; k++, made++) {
      if (random.chance(0.05)) continue;
      group[`p${k}`] =
        k % 3 === 0 ? random.pick(['a', 'b', 'c', 'd']) : round(random.float(-10, 10));
    }
    config[`g${g}`] = group;
  }
  return config;
}

/** Writes `runs` generated runs into a source of the store (created when missing). */
export function writeRunTableData(
  store: CacheStore,
  source: string,
  options: RunTableDataOptions,
): void {
  if (store.getSource(source) === null) {
    store.addSource({
      name: source,
      kind: 'folder',
      location: `/nowhere/${source}`,
      createdAt: '2025-01-01T00:00:00Z',
    });
  }
  const random = new SeededRandom(options.seed ?? 1);
  const batch = 2000;
  for (let start = 0; start < options.runs; start += batch) {
    store.database.transaction(() => {
      for (let i = start; i < Math.min(options.runs, start + batch); i++) {
        const id = String(i + 1);
        store.writeRun(
          source,
          { id, dir: null, fingerprint: 'f' },
          generateRun(id, random, options),
        );
      }
    })();
  }
}
