import type { ExperimentDef } from './experiment-catalog';
import { PyFloat } from './python-json';
import type { PyValue } from './python-json';
import type { SeededRandom } from './seeded-random';

type Leaf = (rng: SeededRandom) => PyValue;

const smallArray = (dtype: string, values: PyValue[]): PyValue => ({
  dtype,
  'py/object': 'numpy.ndarray',
  values,
});

const leafValues: Record<string, Leaf> = {
  epochs: (r) => r.pick([10, 20, 50, 100]),
  dropout: (r) => r.pick([new PyFloat(0), 0.1, 0.2, 0.3, 0.5]),
  weight_decay: (r) => r.pick([new PyFloat(0), 1e-5, 1e-4, 0.0005]),
  momentum: (r) => r.pick([0.9, 0.95, 0.99]),
  warmup_steps: (r) => r.pick([0, 500, 1000]),
  grad_clip: (r) => r.pick([new PyFloat(1), new PyFloat(5), null]),
  run_name: (r) => r.pick(['baseline', 'wide', 'deep-α', 'ablation/no-aug', 'тест']),
  device: (r) => r.pick(['cuda:0', 'cuda:1', 'cpu']),
  deterministic: (r) => r.chance(0.5),
  resume_from: (r) => (r.chance(0.8) ? null : `/scratch/ckpt/epoch_${r.int(1, 50)}.pt`),
  'dataset.name': (r) => r.pick(['mnist', 'cifar10', 'imagenet-1k-subset']),
  'dataset.path': () => '/data/datasets',
  'dataset.num_workers': (r) => r.pick([2, 4, 8]),
  'dataset.val_split': (r) => r.pick([0.1, 0.2]),
  'dataset.augment.flip': (r) => r.chance(0.7),
  'dataset.augment.crop': (r) => r.pick([24, 28, 32]),
  'dataset.augment.mean': () => [0.485, 0.456, 0.406],
  'dataset.augment.color.jitter': (r) => r.pick([new PyFloat(0), 0.2, 0.4]),
  'model.arch': (r) => r.pick(['resnet18', 'resnet50', 'mlp', 'vit-tiny']),
  'model.layers': (r) => r.pick([[64, 32], [128, 64, 32], [256]]),
  'model.activation': (r) => r.pick(['relu', 'gelu', 'tanh']),
  'model.init.scheme': (r) => r.pick(['kaiming', 'xavier']),
  'model.init.gain': (r) => r.pick([new PyFloat(1), 1.41]),
  'model.encoder.attention.heads': (r) => r.pick([4, 8, 12]),
  'model.encoder.attention.dim': (r) => r.pick([64, 128]),
  'model.class_weights': (r) =>
    smallArray(
      'float64',
      [1.0, r.pick([0.5, 2.0, 3.5]), 1.5].map((v) => new PyFloat(v)),
    ),
  'trainer.log_every': (r) => r.pick([10, 50, 100]),
  'trainer.eval_every': (r) => r.pick([1, 5]),
  'trainer.amp': (r) => r.chance(0.5),
  'trainer.checkpoint.keep': (r) => r.int(1, 5),
  'trainer.checkpoint.dir': () => 'checkpoints',
  'logging.level': (r) => r.pick(['INFO', 'DEBUG']),
  'logging.tags': (r) => r.pick([[], ['baseline'], ['sweep', 'night']]),
  'scheduler.name': (r) => r.pick(['cosine', 'step', 'none']),
  'scheduler.gamma': (r) => r.pick([0.1, 0.5]),
  'scheduler.milestones': (r) =>
    r.pick([
      [30, 60, 90],
      [50, 75],
    ]),
  'env.id': (r) => r.pick(['CartPole-v1', 'LunarLander-v2']),
  'env.max_steps': (r) => r.pick([500, 1000]),
  'env.reward_scale': (r) => r.pick([new PyFloat(1), 0.1]),
  notes: (r) => r.pick(['', 'first try', 'après correction du bug', 'see issue #42']),
  'tokenizer.max_len': (r) => r.pick([128, 256, 512]),
  'tokenizer.lowercase': (r) => r.chance(0.5),
  'data.stats.bins': (r) => r.pick([10, 50]),
  'data.stats.range': () => [0, 1],
  'loss.name': (r) => r.pick(['cross_entropy', 'focal', 'mse']),
  'loss.label_smoothing': (r) => r.pick([new PyFloat(0), 0.1]),
  'eval.metrics': () => ['acc', 'f1'],
  'eval.batch_size': (r) => r.pick([256, 512]),
  'distributed.world_size': (r) => r.pick([1, 2, 4, 8]),
  'distributed.backend': (r) => r.pick(['nccl', 'gloo']),
  'distributed.nccl.timeout_s': () => 1800,
  seed_offset: (r) => r.int(0, 3),
  comment_tag: (r) => r.pick(['', 'v2']),
  'search.trial': (r) => r.int(0, 99),
  'search.space.lr.low': () => 1e-5,
  'search.space.lr.high': () => 0.1,
  'search.space.depth': () => smallArray('int64', [2, 4, 8]),
  debug: () => false,
};

/** Floats Sacred writes as bare NaN/Infinity tokens (a diverged search, "no limit"). */
const nonFinite = (r: SeededRandom): number => r.pick([NaN, Infinity, -Infinity]);

function setPath(root: { [key: string]: PyValue }, path: string, value: PyValue): void {
  const keys = path.split('.');
  let node = root;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (
      next === undefined ||
      next === null ||
      typeof next !== 'object' ||
      Array.isArray(next) ||
      next instanceof PyFloat
    ) {
      const fresh: { [key: string]: PyValue } = {};
      node[key] = fresh;
      node = fresh;
    } else node = next;
  });
}

export interface GeneratedConfig {
  config: { [key: string]: PyValue };
  /** The values a user would have passed with `with lr=... batch_size=...`. */
  updates: { [key: string]: PyValue };
}

export function generateConfig(
  rng: SeededRandom,
  experiment: ExperimentDef,
  withNonFinite: boolean,
): GeneratedConfig {
  const config: { [key: string]: PyValue } = {};
  const updates: { [key: string]: PyValue } = {};
  const lr = rng.pick([0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 1e-4]);
  const batchSize = rng.pick([32, 64, 128, 256]);
  const optimizer = rng.pick(['adam', 'sgd', 'adamw']);
  config.seed = rng.int(0, 2 ** 32 - 1);
  config.lr = lr;
  config.batch_size = batchSize;
  config.optimizer = optimizer;
  if (rng.chance(0.6)) updates.lr = lr;
  if (rng.chance(0.4)) updates.batch_size = batchSize;
  if (rng.chance(0.2)) updates.optimizer = optimizer;
  for (const leaf of experiment.configLeaves) {
    const make = leafValues[leaf];
    if (make !== undefined) setPath(config, leaf, make(rng));
  }
  if (withNonFinite) {
    const value = nonFinite(rng);
    if (experiment.configLeaves.includes('grad_clip')) config.grad_clip = value;
    else config.loss_scale = value;
  }
  return { config, updates };
}
