// Odd and broken FileStorage run directories beyond what the folder generator writes
// (SACRED_FORMAT.md §0 value encoding, §2, §4, §5 "Disk variants", §6 gotchas), built from the
// real Sacred 0.8.7 sample run so that everything not deliberately broken is what Sacred writes.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

export const SAMPLES_DIR = path.resolve(import.meta.dirname, '../fixtures/sacred-samples');

type Py = null | boolean | number | string | Py[] | { [key: string]: Py };

/** Python's json.dumps: bare NaN/Infinity tokens, indent 2 (what `JSON.parse` rejects). */
export function dumpPython(value: Py): string {
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item !== 'number' || Number.isFinite(item)) return item;
      return Number.isNaN(item) ? '\u0000NaN' : item > 0 ? '\u0000Infinity' : '\u0000-Infinity';
    },
    2,
  );
  return text.replace(/"\\u0000(NaN|Infinity|-Infinity)"/gu, '$1');
}

/** Bytes no text decoder likes: NUL, lone continuation bytes, a cut UTF-8 sequence. */
export function junkBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 167 + 13) & 0xff;
  out[0] = 0x00;
  out[1] = 0xff;
  out[length - 1] = 0xe2;
  return out;
}

function b64(bytes: Buffer | Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function datetimeNode(
  year: number,
  month: number,
  day: number,
  hms: [number, number, number],
  micro: number,
  tz?: Py,
): Py {
  const bytes = Buffer.from([
    year >> 8,
    year & 0xff,
    month,
    day,
    hms[0],
    hms[1],
    hms[2],
    (micro >> 16) & 0xff,
    (micro >> 8) & 0xff,
    micro & 0xff,
  ]);
  const args: Py[] = [b64(bytes)];
  if (tz !== undefined) args.push(tz);
  return {
    'py/object': 'datetime.datetime',
    __reduce__: [{ 'py/type': 'datetime.datetime' }, args],
  };
}

/** > 16 elements: zlib of the raw buffer in base64, as jsonpickle's numpy handler writes it. */
function bigArrayNode(count: number, byteorder: '<' | '>'): Py {
  const raw = Buffer.alloc(count * 8);
  for (let i = 0; i < count; i++) {
    if (byteorder === '<') raw.writeDoubleLE(i / 4, i * 8);
    else raw.writeDoubleBE(i / 4, i * 8);
  }
  return {
    'py/object': 'numpy.ndarray',
    dtype: 'float64',
    byteorder,
    shape: { 'py/tuple': [count / 4, 4] },
    values: b64(deflateSync(raw)),
  };
}

/** Every jsonpickle node kind of §0, plus malformed ones a reader must not choke on. */
export function everyJsonpickleNode(): { [key: string]: Py } {
  return {
    datetime: datetimeNode(2023, 4, 17, [18, 13, 0], 250_000),
    datetime_whole_second: datetimeNode(2024, 1, 2, [0, 0, 0], 0),
    datetime_tz: datetimeNode(2024, 6, 1, [12, 0, 0], 0, {
      'py/reduce': [
        { 'py/type': 'datetime.timezone' },
        {
          'py/tuple': [
            { 'py/reduce': [{ 'py/type': 'datetime.timedelta' }, { 'py/tuple': [0, 7200, 0] }] },
          ],
        },
      ],
    }),
    date: {
      'py/object': 'datetime.date',
      __reduce__: [{ 'py/type': 'datetime.date' }, [b64(Buffer.from([0x07, 0xe7, 4, 17]))]],
    },
    datetime_bad_b64: {
      'py/object': 'datetime.datetime',
      __reduce__: [{ 'py/type': 'datetime.datetime' }, ['!!not base64!!']],
    },
    small_int_array: { 'py/object': 'numpy.ndarray', dtype: 'int64', values: [0, 1, 2] },
    nested_array: {
      'py/object': 'numpy.ndarray',
      dtype: 'float32',
      values: [
        [1.5, NaN],
        [Infinity, -Infinity],
      ],
    },
    big_array_le: bigArrayNode(64, '<'),
    big_array_be: bigArrayNode(32, '>'),
    big_array_corrupt: {
      'py/object': 'numpy.ndarray',
      dtype: 'float64',
      byteorder: '<',
      shape: { 'py/tuple': [100] },
      values: 'eJzLSM3JyVcozy/KSQEAGgQEXQ==not-zlib',
    },
    numpy_scalar: { 'py/object': 'numpy.float64', dtype: 'float64', value: 1.5 },
    numpy_scalar_nan: { 'py/object': 'numpy.float32', dtype: 'float32', value: NaN },
    tuple: { 'py/tuple': [1, 'two', null] },
    set: { 'py/set': [3, 1, 2] },
    bytes: { 'py/b64': b64(Buffer.from('raw\u0000bytes')) },
    enum: {
      'py/reduce': [{ 'py/type': 'mylib.Color' }, { 'py/tuple': [2] }],
    },
    path: {
      'py/reduce': [{ 'py/type': 'pathlib.PosixPath' }, { 'py/tuple': ['/data', 'x.csv'] }],
    },
    ordered_dict: {
      'py/reduce': [
        { 'py/type': 'collections.OrderedDict' },
        { 'py/tuple': [] },
        null,
        null,
        { 'py/tuple': [{ 'py/tuple': ['a', 1] }, { 'py/tuple': ['b', 2] }] },
      ],
    },
    decimal: {
      'py/reduce': [{ 'py/type': 'decimal.Decimal' }, { 'py/tuple': ['3.14159'] }],
    },
    complex: { 'py/object': 'builtins.complex', 'py/newargs': { 'py/tuple': [1, -2] } },
    custom_object: {
      'py/object': 'model.Net',
      layers: [64, 32],
      activation: 'relu',
      inner: { 'py/object': 'model.Block', width: 8 },
    },
    repeated: [{ 'py/object': 'model.Block', width: 8 }, { 'py/id': 2 }, { 'py/ref': '/0' }],
    dangling_id: { 'py/id': 9999 },
    bare_type: { 'py/type': 'builtins.int' },
    function: { 'py/function': 'math.sqrt' },
    repr_node: { 'py/repr': 'module/obj' },
    unknown_tag: { 'py/whatever': [1, 2] },
    dataframe: {
      'py/object': 'pandas.core.frame.DataFrame',
      values: { a: { '0': 1, '1': 2 }, b: { '0': 'x', '1': 'y' } },
      dtypes: { a: 'int64', b: 'object' },
    },
    'json://1': 'int key',
    'json://null': 'None key',
    'json://[1, 2]': 'tuple key',
  };
}

/** Keys a renderer might trip on: unicode, dots, `$`, Mongo escapes, JS prototype names. */
export function awkwardKeys(): { [key: string]: Py } {
  return {
    température: 21.5,
    学习率: 0.001,
    '🔥': 'hot',
    'a.b': 'dotted',
    $set: 'dollar',
    'a,b': 'escaped dotted (Mongo fixer)',
    '@x': 'escaped dollar (Mongo fixer)',
    '': 'empty key',
    ' ': 'space key',
    // A computed key: a plain `__proto__:` would set the prototype instead of a key.
    ['__proto__']: { polluted: true },
    constructor: 'ctor',
    toString: 'not a function',
    hasOwnProperty: 1,
    ['very long key '.repeat(40)]: 'long',
    nested: { 'x.y': { $z: [1, { 'w.v': null }] } },
  };
}

function writeJson(file: string, value: Py): void {
  writeFileSync(file, dumpPython(value));
}

/** Python's JSON: bare NaN/Infinity tokens become numbers again. */
function readJson(file: string): { [key: string]: Py } {
  const text = readFileSync(file, 'utf8').replace(
    /(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/gu,
    '"\\u0000$1"',
  );
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith('\u0000') ? Number(value.slice(1)) : value,
  ) as { [key: string]: Py };
}

/** Captured output as tqdm and loggers leave it: \r progress, ANSI colours, \b, stderr. */
function progressOutput(lines: number): string {
  const parts: string[] = ['\u001b[32mINFO\u001b[0m - starting\n'];
  for (let i = 0; i < lines; i++) {
    parts.push(`epoch ${i}: ${'#'.repeat(i % 40)}\r`);
    if (i % 50 === 0) parts.push(`\n\u001b[31mWARNING\u001b[0m step ${i} loss=nan \ufffd\b\n`);
  }
  parts.push('\ndone\n');
  return parts.join('');
}

export interface OddFolderRuns {
  /** Directory name → what is odd about it. Every one has a run.json (readers list them). */
  runs: Record<string, string>;
}

/**
 * A copy of the real `filestorage_completed` folder in `dir`, plus run directories that each
 * break or stretch one part of run `1`.
 */
export function writeOddFolderRuns(dir: string): OddFolderRuns {
  cpSync(path.join(SAMPLES_DIR, 'filestorage_completed'), dir, { recursive: true });
  const base = path.join(dir, '1');
  const baseRun = readJson(path.join(base, 'run.json'));
  const runs: Record<string, string> = {};

  const variant = (
    id: string,
    what: string,
    edit: (runDir: string, run: { [key: string]: Py }) => void,
  ): void => {
    const runDir = path.join(dir, id);
    cpSync(base, runDir, { recursive: true });
    const run = structuredClone(baseRun);
    edit(runDir, run);
    if (!runs[id]) runs[id] = what;
    // An edit may have replaced run.json itself (junk, truncated); keep that.
    if (run['__keep_run_json__'] === undefined) writeJson(path.join(runDir, 'run.json'), run);
  };
  const file = (runDir: string, name: string) => path.join(runDir, name);

  variant('broken-config', 'config.json cut in the middle of a rewrite', (d) => {
    writeFileSync(file(d, 'config.json'), '{\n  "lr": 0.02,\n  "opt": {\n    "na');
  });
  variant('junk-config', 'config.json is binary junk', (d) => {
    writeFileSync(file(d, 'config.json'), junkBytes(300));
  });
  variant('array-config', 'config.json holds a list, not a dict', (d) => {
    writeFileSync(file(d, 'config.json'), '[1, 2, 3]');
  });
  variant('empty-config', 'config.json is {}', (d) => {
    writeFileSync(file(d, 'config.json'), '{}');
  });
  variant('no-metrics', 'no metrics.json, no info.json, no cout.txt', (d) => {
    rmSync(file(d, 'metrics.json'));
    rmSync(file(d, 'info.json'));
    rmSync(file(d, 'cout.txt'));
  });
  variant('junk-metrics', 'metrics.json and info.json are binary junk', (d) => {
    writeFileSync(file(d, 'metrics.json'), junkBytes(500));
    writeFileSync(file(d, 'info.json'), junkBytes(200));
  });
  variant('odd-metrics', 'metrics with null/NaN/inf, ragged arrays, odd names', (d) => {
    writeJson(file(d, 'metrics.json'), {
      'loss.with.dots': {
        steps: [0, 1, 2, 3, 4, 5],
        values: [1, NaN, Infinity, -Infinity, null, 0.5],
        timestamps: [
          '2026-11-26T21:32:02',
          '2026-11-26T21:32:02.5',
          '2026-11-26T21:32:03.000001',
          'not a time',
          '2026-11-26T21:32:04',
          '2026-11-26T21:32:05',
        ],
      },
      'précision 🔥': { steps: [0.5, 0.25, 0.25, 3], values: [1, 2, true, 4], timestamps: [] },
      ragged: { steps: [0, 1, 2, 3, 4], values: [1, 2], timestamps: ['2026-11-26T21:32:02'] },
      $dollar: { steps: [], values: [], timestamps: [] },
      not_an_object: 5,
      no_arrays: { steps: 'x' },
    });
  });
  variant('truncated-metrics-tokens', 'metrics.json cut right after a NaN token', (d) => {
    writeFileSync(file(d, 'metrics.json'), '{"a": {"steps": [0, 1], "values": [NaN, Infin');
  });
  variant('truncated-cout', 'cout.txt cut inside a UTF-8 sequence and an ANSI escape', (d) => {
    const text = Buffer.from('résumé \u001b[32mgreen\u001b[0m ✓ progress 50%\r\u001b[3');
    writeFileSync(file(d, 'cout.txt'), Buffer.concat([text, Buffer.from('é').subarray(0, 1)]));
  });
  variant('junk-cout', 'cout.txt is binary junk', (d) => {
    writeFileSync(file(d, 'cout.txt'), junkBytes(4096));
  });
  variant('cout-directory', 'cout.txt is a directory', (d) => {
    rmSync(file(d, 'cout.txt'));
    mkdirSync(file(d, 'cout.txt'));
  });
  variant('huge-cout', 'cout.txt of 12 MB with \\r progress bars', (d) => {
    const chunk = progressOutput(2000);
    const repeat = Math.ceil((12 * 1024 * 1024) / chunk.length);
    writeFileSync(file(d, 'cout.txt'), chunk.repeat(repeat));
  });
  variant('one-line-cout', 'cout.txt of 3 MB without a single newline', (d) => {
    writeFileSync(file(d, 'cout.txt'), 'x'.repeat(3 * 1024 * 1024));
  });
  variant('awkward-keys', 'unicode, dotted, $ and __proto__ keys everywhere', (d, run) => {
    writeJson(file(d, 'config.json'), { ...awkwardKeys(), seed: 1 });
    writeJson(file(d, 'info.json'), awkwardKeys());
    run.result = awkwardKeys();
    (run.meta as { [key: string]: Py }).config_updates = awkwardKeys();
    (run.host as { [key: string]: Py }).ENV = { 'ÉNV.VAR': 'x', $HOME: '/home/alice' };
  });
  variant('non-finite', 'NaN and ±Infinity in config, info, result, metrics', (d, run) => {
    writeJson(file(d, 'config.json'), {
      nan: NaN,
      inf: Infinity,
      ninf: -Infinity,
      list: [NaN, 1, Infinity],
      seed: 2,
    });
    writeJson(file(d, 'info.json'), { best: NaN, worst: -Infinity });
    run.result = NaN;
    writeJson(file(d, 'metrics.json'), {
      all_nan: {
        steps: [0, 1, 2],
        values: [NaN, NaN, NaN],
        timestamps: ['2026-11-26T21:32:02', '2026-11-26T21:32:03', '2026-11-26T21:32:04'],
      },
    });
  });
  variant('jsonpickle', 'every jsonpickle node type in config, info and result', (d, run) => {
    writeJson(file(d, 'config.json'), { ...everyJsonpickleNode(), seed: 3 });
    writeJson(file(d, 'info.json'), everyJsonpickleNode());
    run.result = everyJsonpickleNode();
  });
  variant('result-array', 'result is a big encoded ndarray', (_d, run) => {
    run.result = bigArrayNode(400, '<');
  });
  variant('deep-config', 'config 40 levels deep and 2000 leaves wide', (d) => {
    let deep: Py = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { [`level${i}`]: deep };
    const wide: { [key: string]: Py } = {};
    for (let i = 0; i < 2000; i++) wide[`k${i}`] = i % 3 === 0 ? [i, String(i)] : i / 7;
    writeJson(file(d, 'config.json'), { deep, wide, seed: 4, long: 'é'.repeat(20_000) });
  });
  variant('empty-run-object', 'run.json is {} (nothing at all)', (d, run) => {
    for (const key of Object.keys(run)) delete run[key];
    writeFileSync(file(d, 'config.json'), '{}');
  });
  variant('wrong-types', 'every run.json field has the wrong type', (_d, run) => {
    Object.assign(run, {
      status: 42,
      command: ['main'],
      experiment: 'not an object',
      host: 'old-box',
      meta: [1, 2],
      start_time: 'yesterday',
      heartbeat: 12345,
      stop_time: { 'py/object': 'datetime.datetime' },
      fail_trace: 'Traceback as one string\n',
      artifacts: 'model.txt',
      resources: [['/x', null], 'not a pair', [null, 3]],
      result: { 'py/object': 'numpy.float64', dtype: 'float64', value: 0.5 },
    });
  });
  variant('null-fields', 'every run.json field is null', (_d, run) => {
    for (const key of Object.keys(run)) run[key] = null;
  });
  variant('missing-files', 'sources, resources and artifacts listed but not stored', (d, run) => {
    rmSync(file(d, 'model.txt'));
    const experiment = run.experiment as { [key: string]: Py };
    experiment.sources = [
      ['gone.py', '_sources/gone_0123456789abcdef0123456789abcdef.py'],
      ['../../outside.py', '../../../../etc/passwd'],
    ];
    run.resources = [['/home/alice/exp/gone.csv', '/srv/_resources/gone_00.csv']];
    run.artifacts = ['model.txt', 'ghost.png', '../escape.txt', 'sub/dir/file.txt'];
  });
  variant('odd-artifacts', 'zero-byte, junk .png, broken .json, unicode name', (d, run) => {
    writeFileSync(file(d, 'empty.txt'), '');
    writeFileSync(file(d, 'fake.png'), junkBytes(100));
    writeFileSync(file(d, 'broken.json'), '{"a": [1, 2');
    writeFileSync(file(d, 'données 📈.csv'), 'x,y\n1,NaN\n2,Infinity\n3,\n');
    writeFileSync(file(d, 'blob.bin'), junkBytes(70_000));
    mkdirSync(file(d, 'a-directory'));
    run.artifacts = [
      'model.txt',
      'empty.txt',
      'fake.png',
      'broken.json',
      'données 📈.csv',
      'blob.bin',
      'a-directory',
      'model.txt',
    ];
  });
  variant('failed-chained', 'FAILED with a chained 60-entry trace', (_d, run) => {
    run.status = 'FAILED';
    const trace: Py[] = ['Traceback (most recent call last):\n'];
    for (let i = 0; i < 28; i++) {
      trace.push(`  File "/home/alice/exp/my_exp.py", line ${i + 10}, in f${i}\n    g()\n`);
    }
    trace.push(
      'ValueError: bad \u001b[31mvalue\u001b[0m é\n',
      '\nDuring handling of the above exception, another exception occurred:\n\n',
      'Traceback (most recent call last):\n',
      'RuntimeError: wrapped\n',
    );
    run.fail_trace = trace;
    run.stop_time = run.heartbeat as Py;
    delete run.result;
  });
  variant('failed-empty-trace', 'FAILED with fail_trace []', (_d, run) => {
    run.status = 'FAILED';
    run.fail_trace = [];
  });
  variant('custom-status', 'custom status PREEMPTED, TIMEOUT-like', (_d, run) => {
    run.status = 'PREEMPTED';
  });
  variant('dead-running', 'RUNNING, stale heartbeat, 0.7 beat option spelling', (_d, run) => {
    run.status = 'RUNNING';
    delete run.stop_time;
    run.heartbeat = '2020-01-01T00:00:00';
    const meta = run.meta as { [key: string]: Py };
    meta.options = { '--beat_interval': 'not a number', with: true };
  });
  variant('running-no-beat', 'RUNNING, heartbeat null, no result yet', (_d, run) => {
    run.status = 'RUNNING';
    run.heartbeat = null;
    delete run.stop_time;
    delete run.result;
  });
  variant(
    'queued-no-start',
    'QUEUED with py/tuple sources and jsonpickle queue_time',
    (_d, run) => {
      run.status = 'QUEUED';
      for (const key of [
        'start_time',
        'heartbeat',
        'stop_time',
        'result',
        'artifacts',
        'resources',
      ])
        delete run[key];
      const meta = run.meta as { [key: string]: Py };
      meta.queue_time = datetimeNode(2026, 11, 26, [21, 0, 0], 0);
      meta.priority = 1.5;
      (run.experiment as { [key: string]: Py }).sources = [
        { 'py/tuple': ['my_exp.py', '6b8395a10cc309324eb63d2042a9c428'] },
      ];
    },
  );
  variant('host-gpus', 'host with GPUs, ENV and custom gatherer keys', (_d, run) => {
    Object.assign(run.host as object, {
      gpus: {
        driver_version: '535.104',
        gpus: [
          { model: 'NVIDIA A100', total_memory: 40960, persistence_mode: false },
          { model: 'NVIDIA A100', total_memory: 40960, persistence_mode: true },
        ],
      },
      ENV: { CUDA_VISIBLE_DEVICES: '0,1' },
      cluster: { node: 'gpu-12', queue: 'long' },
      cpu: null,
    });
  });
  variant('legacy-06-shapes', 'Sacred 0.6 shapes: os string, [name, version] deps', (_d, run) => {
    Object.assign(run.host as object, {
      os: 'Linux',
      os_info: 'Linux-3.13.0-x86_64-with-Ubuntu-14.04-trusty',
      cpu_count: 8,
    });
    Object.assign(run.experiment as object, {
      dependencies: [
        ['numpy', '1.9.2'],
        ['sacred', '0.6.7'],
      ],
      sources: [['/home/alice/old/train.py', '0123456789abcdef0123456789abcdef']],
      doc: 'An experiment from 2015.',
      repositories: null,
      mainfile: null,
    });
    run.comment = 'old top-level comment';
    delete run.meta;
    delete run.command;
  });
  variant('odd-repositories', 'repositories and dependencies with odd entries', (_d, run) => {
    Object.assign(run.experiment as object, {
      dependencies: ['pkg==<unknown>', 'sacred==0.8.7', 42, null, ''],
      repositories: [{ url: 'git:/home/alice/exp', commit: null, dirty: null }, 'not a repo', {}],
      base_dir: null,
      name: null,
    });
  });
  variant('truncated-run', 'run.json cut in the middle of a rewrite', (d, run) => {
    const full = dumpPython(run);
    writeFileSync(file(d, 'run.json'), full.slice(0, Math.floor(full.length * 0.4)));
    run['__keep_run_json__'] = true;
  });
  variant('junk-run', 'run.json is binary junk', (d, run) => {
    writeFileSync(file(d, 'run.json'), junkBytes(256));
    run['__keep_run_json__'] = true;
  });
  return { runs };
}
