// A lab-sized MongoObserver database for the sync benchmark, made as documents for the test
// server's direct seeding: realistic run documents (config of 60 keys, nested; host, meta,
// captured output) and one metrics document per metric. Step and time arrays are shared
// between documents of the same length so that 100M points fit in the server's memory; the
// wire carries them like any other array.
import { ObjectId } from 'bson';
import type { Document } from 'bson';
import { SeededRandom } from '../../main/core/demo/seeded-random';

export interface BenchDataOptions {
  runs: number;
  metricsPerRun: number;
  pointsPerMetric: number;
  /** Runs that also get one metric of `bigMetricPoints` points. */
  bigMetricRuns: number;
  bigMetricPoints: number;
  now: number;
}

export interface BenchData {
  runs: Document[];
  metrics: Document[];
  points: number;
}

const METRIC_NAMES = ['train.loss', 'val.loss', 'val.accuracy', 'lr', 'grad_norm', 'epoch_time'];

export function benchData(options: BenchDataOptions): BenchData {
  const rng = new SeededRandom(20_000);
  const shared = new Map<number, { steps: number[]; timestamps: Date[] }>();
  const axes = (length: number) => {
    let axis = shared.get(length);
    if (axis === undefined) {
      const start = options.now - 86_400_000;
      axis = {
        steps: Array.from({ length }, (_, i) => i),
        timestamps: Array.from({ length }, (_, i) => new Date(start + i * 1000)),
      };
      shared.set(length, axis);
    }
    return axis;
  };
  const runs: Document[] = [];
  const metrics: Document[] = [];
  let points = 0;
  for (let id = 1; id <= options.runs; id++) {
    const refs: Document[] = [];
    const addMetric = (name: string, length: number): void => {
      const _id = new ObjectId();
      const { steps, timestamps } = axes(length);
      const values = new Array<number>(length);
      let value = rng.float(1, 3);
      for (let i = 0; i < length; i++) {
        value = value * 0.999 + rng.float(-0.01, 0.01);
        values[i] = value;
      }
      metrics.push({ _id, name, run_id: id, steps, timestamps, values });
      refs.push({ id: _id.toHexString(), name });
      points += length;
    };
    for (let m = 0; m < options.metricsPerRun; m++) {
      addMetric(METRIC_NAMES[m % METRIC_NAMES.length] ?? `m${m}`, options.pointsPerMetric);
    }
    if (id <= options.bigMetricRuns) addMetric('step.loss', options.bigMetricPoints);
    runs.push(runDocument(id, rng, refs, options.now));
  }
  return { runs, metrics, points };
}

function runDocument(id: number, rng: SeededRandom, refs: Document[], now: number): Document {
  const start = new Date(now - 86_400_000 + id * 1000);
  const stop = new Date(start.getTime() + rng.int(60, 7200) * 1000);
  const lines = Array.from(
    { length: rng.int(20, 60) },
    (_, i) => `epoch ${i}: loss=${rng.float(0, 2).toFixed(4)} acc=${rng.float(0, 1).toFixed(3)}`,
  );
  return {
    _id: id,
    experiment: {
      name: `exp_${id % 7}`,
      base_dir: '/home/lab/project',
      sources: [],
      dependencies: ['numpy==1.26.4', 'sacred==0.8.7', 'torch==2.3.1'],
      repositories: [{ url: 'git@lab:project.git', commit: 'a1b2c3d4', dirty: false }],
      mainfile: 'train.py',
    },
    format: 'MongoObserver-0.7.0',
    command: 'main',
    host: {
      hostname: `gpu${id % 12}`,
      os: ['Linux', 'Linux-6.1.0-x86_64-with-glibc2.36'],
      python_version: '3.11.9',
      cpu: 'AMD EPYC 7543 32-Core Processor',
      gpus: { driver_version: '550.54', gpus: [{ model: 'NVIDIA A100', total_memory: 81920 }] },
    },
    start_time: start,
    meta: {
      command: 'main',
      options: { '--beat-interval': null, '--unobserved': false, UPDATE: [`seed=${id}`] },
    },
    status: 'COMPLETED',
    resources: [],
    artifacts: [],
    captured_out: `${lines.join('\n')}\n`,
    info: { metrics: refs },
    heartbeat: stop,
    config: benchConfig(id, rng),
    result: rng.float(0, 1),
    stop_time: stop,
  };
}

/** 60 keys, nested three deep, of every JSON type. */
function benchConfig(id: number, rng: SeededRandom): Document {
  const group = (prefix: string): Document => {
    const out: Document = {};
    for (let k = 0; k < 6; k++) {
      const kind = k % 4;
      out[`${prefix}_${k}`] =
        kind === 0
          ? rng.float(0, 1)
          : kind === 1
            ? rng.int(1, 512)
            : kind === 2
              ? rng.pick(['adam', 'sgd', 'relu', 'gelu'])
              : rng.chance(0.5);
    }
    return out;
  };
  return {
    seed: id,
    lr: rng.pick([0.1, 0.01, 0.001, 0.0003]),
    batch_size: rng.pick([32, 64, 128, 256]),
    epochs: rng.int(10, 200),
    optimizer: { ...group('opt'), betas: [0.9, 0.999], schedule: group('sched') },
    model: { ...group('model'), encoder: group('enc'), decoder: group('dec') },
    data: { ...group('data'), augment: group('aug'), path: `/data/set_${id % 5}` },
    tags: ['bench', `group-${id % 10}`],
  };
}
