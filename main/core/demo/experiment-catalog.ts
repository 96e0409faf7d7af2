import { createHash } from 'node:crypto';
import type { SeededRandom } from './seeded-random';

/** One source file version as Sacred stores it: `_sources/<stem>_<md5><ext>`. */
export interface SourceFile {
  /** Path relative to the experiment's base_dir, as listed in experiment.sources. */
  name: string;
  content: string;
  md5: string;
  /** Where FileStorageObserver copies it, relative to the folder root. */
  storedAs: string;
}

export interface ExperimentDef {
  name: string;
  baseDir: string;
  mainfile: string | null;
  /** Two versions of the sources: runs after `versionSwitch` use the edited code. */
  sourceVersions: [SourceFile[], SourceFile[]];
  versionSwitch: number;
  dependencies: string[];
  gitCommits: [string, string];
  hasGit: boolean;
  commands: string[];
  /** Config leaves this experiment uses (dotted paths into the config tree). */
  configLeaves: string[];
}

export function md5Hex(content: string | Buffer): string {
  return createHash('md5').update(content).digest('hex');
}

export function storedSourceName(name: string, md5: string): string {
  const base = name.split('/').pop() ?? name;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : '';
  return `_sources/${stem}_${md5}${ext}`;
}

const experimentNames = [
  'mnist_cnn',
  'cifar10_resnet',
  'ppo_cartpole',
  'bert_finetune',
  'ablation_dropout',
  'réseau_léger',
];

const packagePool = [
  'absl-py==2.1.0',
  'aiohttp==3.9.3',
  'attrs==23.2.0',
  'certifi==2024.2.2',
  'charset-normalizer==3.3.2',
  'colorama==0.4.6',
  'docopt==0.6.2',
  'filelock==3.13.1',
  'fsspec==2024.2.0',
  'GitPython==3.1.42',
  'gym==0.26.2',
  'h5py==3.10.0',
  'huggingface-hub==0.21.3',
  'idna==3.6',
  'Jinja2==3.1.3',
  'joblib==1.3.2',
  'jsonpickle==3.0.3',
  'kiwisolver==1.4.5',
  'Markdown==3.5.2',
  'MarkupSafe==2.1.5',
  'matplotlib==3.8.3',
  'mpmath==1.3.0',
  'munch==4.0.0',
  'networkx==3.2.1',
  'numpy==1.26.4',
  'nvidia-ml-py==12.535.133',
  'opencv-python==4.9.0.80',
  'packaging==23.2',
  'pandas==2.2.1',
  'Pillow==10.2.0',
  'protobuf==4.25.3',
  'psutil==5.9.8',
  'py-cpuinfo==9.0.0',
  'pymongo==4.6.2',
  'pyparsing==3.1.1',
  'python-dateutil==2.9.0',
  'pytz==2024.1',
  'PyYAML==6.0.1',
  'regex==2023.12.25',
  'requests==2.31.0',
  'safetensors==0.4.2',
  'scikit-learn==1.4.1',
  'scipy==1.12.0',
  'six==1.16.0',
  'sympy==1.12',
  'tensorboard==2.16.2',
  'threadpoolctl==3.3.0',
  'tokenizers==0.15.2',
  'torch==2.2.1',
  'torchvision==0.17.1',
  'tqdm==4.66.2',
  'transformers==4.38.2',
  'typing_extensions==4.10.0',
  'urllib3==2.2.1',
  'wrapt==1.16.0',
  'my-lab-utils==<unknown>',
];

/** Config leaves every experiment may draw from; dotted paths become nested dicts (≤4 levels). */
export const optionalLeaves = [
  'epochs',
  'dropout',
  'weight_decay',
  'momentum',
  'warmup_steps',
  'grad_clip',
  'run_name',
  'device',
  'deterministic',
  'resume_from',
  'dataset.name',
  'dataset.path',
  'dataset.num_workers',
  'dataset.val_split',
  'dataset.augment.flip',
  'dataset.augment.crop',
  'dataset.augment.mean',
  'dataset.augment.color.jitter',
  'model.arch',
  'model.layers',
  'model.activation',
  'model.init.scheme',
  'model.init.gain',
  'model.encoder.attention.heads',
  'model.encoder.attention.dim',
  'model.class_weights',
  'trainer.log_every',
  'trainer.eval_every',
  'trainer.amp',
  'trainer.checkpoint.keep',
  'trainer.checkpoint.dir',
  'logging.level',
  'logging.tags',
  'scheduler.name',
  'scheduler.gamma',
  'scheduler.milestones',
  'env.id',
  'env.max_steps',
  'env.reward_scale',
  'notes',
  'tokenizer.max_len',
  'tokenizer.lowercase',
  'data.stats.bins',
  'data.stats.range',
  'loss.name',
  'loss.label_smoothing',
  'eval.metrics',
  'eval.batch_size',
  'distributed.world_size',
  'distributed.backend',
  'distributed.nccl.timeout_s',
  'seed_offset',
  'comment_tag',
  'search.trial',
  'search.space.lr.low',
  'search.space.lr.high',
  'search.space.depth',
  'debug',
];

function sourceText(rng: SeededRandom, experiment: string, name: string, version: number): string {
  const lines = [
    '"""Experiment ' + experiment + ' (' + name + ')."""',
    'from sacred import Experiment',
    'from sacred.observers import FileStorageObserver',
    'import numpy as np',
    '',
    `ex = Experiment(${JSON.stringify(experiment)})`,
    'ex.observers.append(FileStorageObserver("runs"))',
    '',
    '@ex.config',
    'def config():',
    `    lr = ${rng.pick(['0.01', '0.001', '3e-4'])}`,
    '    batch_size = 64',
    '    optimizer = "adam"',
    '',
  ];
  const functions = rng.int(2, 12);
  for (let f = 0; f < functions; f++) {
    lines.push(
      `def step_${f}(x, lr):`,
      `    # version ${version}`,
      `    return x - lr * np.tanh(x * ${f + 1})`,
      '',
    );
  }
  lines.push('@ex.automain', 'def main(lr, batch_size, _run):', '    for epoch in range(10):');
  lines.push('        _run.log_scalar("train.loss", 1.0 / (epoch + 1))', '    return 0.93', '');
  return lines.join('\n');
}

export function buildExperiments(rng: SeededRandom, count: number): ExperimentDef[] {
  const experiments: ExperimentDef[] = [];
  for (let e = 0; e < count; e++) {
    const name = experimentNames[e % experimentNames.length] as string;
    const mainfile = `${name}.py`;
    const helpers = [
      'utils/data.py',
      'models.py',
      'utils/logging_setup.py',
      'augment.py',
      'rl/buffers.py',
    ];
    const files = [mainfile, ...helpers.slice(0, rng.int(0, helpers.length))];
    const version = (v: number): SourceFile[] =>
      files.map((file) => {
        // Only the main file changes between versions; helpers keep their hash and are shared.
        const content = sourceText(rng.fork(), name, file, file === mainfile ? v : 0);
        const md5 = md5Hex(content);
        return { name: file, content, md5, storedAs: storedSourceName(file, md5) };
      });
    const depCount = rng.int(3, packagePool.length);
    const deps = new Set<string>();
    while (deps.size < depCount - 1) deps.add(rng.pick(packagePool));
    deps.add(`sacred==0.8.${rng.int(2, 7)}`);
    experiments.push({
      name,
      baseDir: `/home/alice/projects/${name}`,
      mainfile: rng.chance(0.9) ? mainfile : null,
      sourceVersions: [version(1), version(2)],
      versionSwitch: rng.float(0.2, 0.8),
      dependencies: [...deps].sort(byLowerCase),
      gitCommits: [rng.hex(40), rng.hex(40)],
      hasGit: rng.chance(0.7),
      commands:
        name === 'cifar10_resnet' ? ['main', 'main', 'main', 'evaluate', 'data.stats'] : ['main'],
      configLeaves: pickLeaves(rng),
    });
  }
  return experiments;
}

function pickLeaves(rng: SeededRandom): string[] {
  // seed, lr, batch_size and optimizer are always present so the runs table has columns to compare.
  const wanted = rng.int(1, 56);
  const pool = [...optionalLeaves];
  const chosen: string[] = [];
  while (chosen.length < wanted && pool.length > 0) {
    const index = rng.int(0, pool.length - 1);
    chosen.push(pool.splice(index, 1)[0] as string);
  }
  return chosen;
}

function byLowerCase(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
