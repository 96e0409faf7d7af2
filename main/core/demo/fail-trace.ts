import type { SeededRandom } from './seeded-random';

const frames = [
  [
    '/usr/lib/python3/dist-packages/sacred/config/captured_function.py',
    42,
    'captured_function',
    'result = wrapped(*args, **kwargs)',
  ],
  ['{base}/{main}', 88, 'main', 'loss = trainer.step(batch)'],
  ['{base}/models.py', 131, 'forward', 'x = self.encoder(x)'],
  [
    '/opt/venv/lib/python3.10/site-packages/torch/nn/modules/module.py',
    1511,
    '_wrapped_call_impl',
    'return self._call_impl(*args, **kwargs)',
  ],
  [
    '/opt/venv/lib/python3.10/site-packages/torch/nn/modules/module.py',
    1520,
    '_call_impl',
    'return forward_call(*args, **kwargs)',
  ],
  ['{base}/utils/data.py', 57, '__getitem__', 'image = self.load(self.files[index])'],
  [
    '/opt/venv/lib/python3.10/site-packages/torch/utils/data/dataloader.py',
    631,
    '__next__',
    'data = self._next_data()',
  ],
] as const;

const finalErrors = [
  'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 39.59 GiB total capacity)',
  'ValueError: Expected input batch_size (64) to match target batch_size (32).',
  "KeyError: 'val_acc'",
  "FileNotFoundError: [Errno 2] No such file or directory: '/data/datasets/cifar10/train.bin'",
  'AssertionError: loss is NaN',
  "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 12: invalid continuation byte",
];

const chainHeaders = [
  '\nDuring handling of the above exception, another exception occurred:\n\n',
  '\nThe above exception was the direct cause of the following exception:\n\n',
];

function traceback(rng: SeededRandom, base: string, main: string, final: string): string[] {
  const out = ['Traceback (most recent call last):\n'];
  const depth = rng.int(1, 12);
  for (let i = 0; i < depth; i++) {
    const [file, line, fn, code] = i === 0 ? frames[0] : rng.pick(frames);
    const path = file.replace('{base}', base).replace('{main}', main);
    out.push(
      `  File "${path}", line ${line + (i > 0 ? rng.int(0, 30) : 0)}, in ${fn}\n    ${code}\n`,
    );
  }
  out.push(`${final}\n`);
  return out;
}

/** Sacred's fail_trace: a list of strings each ending in \n, sometimes with chained exceptions. */
export function generateFailTrace(rng: SeededRandom, baseDir: string, mainfile: string): string[] {
  const trace = traceback(rng, baseDir, mainfile, rng.pick(finalErrors));
  const chains = rng.chance(0.35) ? rng.int(1, 3) : 0;
  for (let c = 0; c < chains; c++) {
    trace.push(rng.pick(chainHeaders));
    trace.push(...traceback(rng, baseDir, mainfile, rng.pick(finalErrors)));
  }
  return trace;
}
