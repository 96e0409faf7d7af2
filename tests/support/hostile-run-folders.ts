// A corpus of hostile Sacred run folders (issue 11), built at test time in a temp dir: what a
// run names is untrusted input, and a run folder on a shared disk may hold anything. Each case
// is one run directory; the tests read, sync and serve them and check that nothing outside
// the folder is read, nothing blocks, every run is listed, and messages say what is wrong.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type AttackClass =
  /** A name that leads outside the source folder (links, `..`, absolute paths). */
  | 'outside-read'
  /** A file whose read never ends or blocks: FIFO, device, link to /dev/zero. */
  | 'stall'
  /** A run that used to vanish silently (config.json nested 5,000 levels). */
  | 'silent-loss'
  /** Files whose problem deserves a message that names it (BOM, UTF-16, odd status). */
  | 'messages';

export interface HostileWorld {
  root: string;
  /** The Sacred FileStorageObserver folder: the source. */
  folder: string;
  /** A folder next to it that no run may read from unless trusted. */
  outside: string;
  /** Content of outside/secret.txt; must never appear in any reply. */
  secret: string;
  secretPath: string;
  /** A copy_sources=False style source next to the observer folder (../experiments/train.py). */
  experiments: string;
  remove(): void;
}

export interface HostileCase {
  /** The run id (directory name). */
  id: string;
  attack: AttackClass;
  title: string;
  build(world: HostileWorld, dir: string): void;
}

export const SECRET = 'TOP-SECRET-hostile-1f2e3d';

function baseRun(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    artifacts: [],
    command: 'main',
    experiment: { name: 'hostile', sources: [], base_dir: '/tmp', dependencies: [] },
    heartbeat: '2026-01-01T00:10:00',
    host: { hostname: 'box' },
    meta: { command: 'main' },
    resources: [],
    result: null,
    start_time: '2026-01-01T00:00:00',
    status: 'COMPLETED',
    stop_time: '2026-01-01T00:10:00',
    ...extra,
  };
}

function writeRun(dir: string, run: Record<string, unknown>): void {
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run, null, 2));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ seed: 1 }));
  writeFileSync(join(dir, 'cout.txt'), 'output\n');
}

/** A named pipe; nothing ever writes to it, so a blocking open or read never returns. */
export function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

function deepJson(levels: number, leaf: string): string {
  return `${'{"a": '.repeat(levels)}${leaf}${'}'.repeat(levels)}`;
}

function withArtifact(name: string, make: (world: HostileWorld, dir: string) => void) {
  return (world: HostileWorld, dir: string): void => {
    writeRun(dir, baseRun({ artifacts: [name] }));
    make(world, dir);
  };
}

function withSources(sources: unknown[], make?: (world: HostileWorld, dir: string) => void) {
  return (world: HostileWorld, dir: string): void => {
    writeRun(dir, baseRun({ experiment: { name: 'hostile', sources } }));
    make?.(world, dir);
  };
}

function withRawData(local: Record<string, unknown>) {
  return (_world: HostileWorld, dir: string): void => {
    writeRun(dir, baseRun());
    writeFileSync(
      join(dir, 'info.json'),
      JSON.stringify({ dataFiles: { raw_data: { local: { video: local } } } }),
    );
  };
}

function replacing(file: string, make: (path: string) => void) {
  return (_world: HostileWorld, dir: string): void => {
    writeRun(dir, baseRun());
    rmSync(join(dir, file), { force: true });
    make(join(dir, file));
  };
}

export const hostileCases: HostileCase[] = [
  // --- reading outside the run (issue 11 items 1-3) ---
  {
    id: 'art-link-file',
    attack: 'outside-read',
    title: 'an artifact that is a symlink to a file outside',
    build: withArtifact('notes.txt', (w, dir) => symlinkSync(w.secretPath, join(dir, 'notes.txt'))),
  },
  {
    id: 'art-link-etc',
    attack: 'outside-read',
    title: 'an artifact that is a symlink to /etc/passwd',
    build: withArtifact('passwd.txt', (_w, dir) =>
      symlinkSync('/etc/passwd', join(dir, 'passwd.txt')),
    ),
  },
  {
    id: 'art-under-linked-dir',
    attack: 'outside-read',
    title: 'an artifact under a symlinked directory',
    build: withArtifact('sub/secret.txt', (w, dir) => symlinkSync(w.outside, join(dir, 'sub'))),
  },
  {
    id: 'art-dotdot',
    attack: 'outside-read',
    title: 'an artifact named with ../',
    build: withArtifact('../../outside/secret.txt', () => undefined),
  },
  {
    id: 'art-absolute',
    attack: 'outside-read',
    title: 'an artifact named with an absolute path',
    build: (w, dir) => writeRun(dir, baseRun({ artifacts: [w.secretPath] })),
  },
  {
    id: 'src-absolute',
    attack: 'outside-read',
    title: 'experiment.sources naming an absolute path',
    build: (w, dir) =>
      withSources([
        ['a.py', w.secretPath],
        ['b.py', '/etc/hostname'],
      ])(w, dir),
  },
  {
    id: 'src-dotdot',
    attack: 'outside-read',
    title: 'experiment.sources naming ../ out of the folder',
    build: withSources([['a.py', '../outside/secret.txt']]),
  },
  {
    id: 'src-copy-sources-false',
    attack: 'outside-read',
    title: 'copy_sources=False: a source next to the folder (legitimate once trusted)',
    build: withSources([['train.py', '../experiments/train.py']]),
  },
  {
    id: 'src-linked-in-sources',
    attack: 'outside-read',
    title: 'a _sources file that is a symlink outside',
    build: withSources([['c.py', '_sources/c_0123.py']], (w) => {
      mkdirSync(join(w.folder, '_sources'), { recursive: true });
      symlinkSync(w.secretPath, join(w.folder, '_sources', 'c_0123.py'));
    }),
  },
  {
    id: 'src-queued-linked',
    attack: 'outside-read',
    title: 'a queued run whose flat source copy is a symlink outside',
    build: withSources([{ 'py/tuple': ['d.py', 'abc'] }], (w, dir) =>
      symlinkSync(w.secretPath, join(dir, 'd.py')),
    ),
  },
  {
    id: 'raw-dotdot',
    attack: 'outside-read',
    title: 'local raw data whose fileName climbs out with ../',
    build: (w, dir) =>
      withRawData({ fileName: '../outside/secret.txt', local_path: w.folder })(w, dir),
  },
  {
    id: 'raw-absolute',
    attack: 'outside-read',
    title: 'local raw data at an absolute local_path outside every trusted folder',
    build: (w, dir) => withRawData({ fileName: 'secret.txt', local_path: w.outside })(w, dir),
  },
  {
    id: 'cout-link-outside',
    attack: 'outside-read',
    title: 'cout.txt is a symlink to a file outside',
    build: replacing('cout.txt', (p) =>
      symlinkSync(join(p, '..', '..', '..', 'outside', 'secret.txt'), p),
    ),
  },
  {
    id: 'config-link-outside',
    attack: 'outside-read',
    title: 'config.json is a symlink to a JSON credentials file outside',
    build: replacing('config.json', (p) =>
      symlinkSync(join(p, '..', '..', '..', 'outside', 'creds.json'), p),
    ),
  },
  {
    id: 'linked-run-dir',
    attack: 'outside-read',
    title: 'a run directory that is a symlink to a folder outside holding run files',
    build: (w, dir) => {
      rmSync(dir, { recursive: true, force: true });
      const target = join(w.outside, 'elsewhere-run');
      mkdirSync(target);
      writeRun(target, baseRun());
      writeFileSync(join(target, 'cout.txt'), `${SECRET}\n`);
      symlinkSync(target, dir);
    },
  },
  // --- stalling the app (item 6) ---
  {
    id: 'fifo-run',
    attack: 'stall',
    title: 'run.json is a FIFO',
    build: replacing('run.json', mkfifo),
  },
  {
    id: 'fifo-config',
    attack: 'stall',
    title: 'config.json is a FIFO',
    build: replacing('config.json', mkfifo),
  },
  {
    id: 'fifo-cout',
    attack: 'stall',
    title: 'cout.txt is a FIFO',
    build: replacing('cout.txt', mkfifo),
  },
  {
    id: 'fifo-metrics',
    attack: 'stall',
    title: 'metrics.json is a FIFO',
    build: replacing('metrics.json', mkfifo),
  },
  {
    id: 'fifo-info',
    attack: 'stall',
    title: 'info.json is a FIFO',
    build: replacing('info.json', mkfifo),
  },
  {
    id: 'zero-run',
    attack: 'stall',
    title: 'run.json is a link to /dev/zero',
    build: replacing('run.json', (p) => symlinkSync('/dev/zero', p)),
  },
  {
    id: 'urandom-config',
    attack: 'stall',
    title: 'config.json is a link to /dev/urandom',
    build: replacing('config.json', (p) => symlinkSync('/dev/urandom', p)),
  },
  {
    id: 'zero-metrics',
    attack: 'stall',
    title: 'metrics.json is a link to /dev/zero',
    build: replacing('metrics.json', (p) => symlinkSync('/dev/zero', p)),
  },
  {
    id: 'zero-cout',
    attack: 'stall',
    title: 'cout.txt is a link to /dev/zero',
    build: replacing('cout.txt', (p) => symlinkSync('/dev/zero', p)),
  },
  {
    id: 'fifo-artifact',
    attack: 'stall',
    title: 'an artifact that is a FIFO',
    build: withArtifact('pipe.bin', (_w, dir) => mkfifo(join(dir, 'pipe.bin'))),
  },
  {
    id: 'zero-artifact',
    attack: 'stall',
    title: 'an artifact that is a link to /dev/zero',
    build: withArtifact('zero.bin', (_w, dir) => symlinkSync('/dev/zero', join(dir, 'zero.bin'))),
  },
  {
    id: 'fifo-source',
    attack: 'stall',
    title: 'a stored source file that is a FIFO',
    build: withSources([['e.py', '_sources/e_0123.py']], (w) => {
      mkdirSync(join(w.folder, '_sources'), { recursive: true });
      mkfifo(join(w.folder, '_sources', 'e_0123.py'));
    }),
  },
  // --- runs that used to vanish (item 8) ---
  {
    id: 'deep-config',
    attack: 'silent-loss',
    title: 'config.json nested 5,000 levels',
    build: (_w, dir) => {
      writeRun(dir, baseRun());
      writeFileSync(join(dir, 'config.json'), deepJson(5000, '1'));
    },
  },
  {
    id: 'deep-config-nan',
    attack: 'silent-loss',
    title: 'config.json nested 5,000 levels around a NaN',
    build: (_w, dir) => {
      writeRun(dir, baseRun());
      writeFileSync(join(dir, 'config.json'), deepJson(5000, 'NaN'));
    },
  },
  {
    id: 'deep-run',
    attack: 'silent-loss',
    title: 'run.json whose result is nested 5,000 levels',
    build: (_w, dir) => {
      writeRun(dir, baseRun());
      const text = JSON.stringify(baseRun({ result: '__DEEP__' })).replace(
        '"__DEEP__"',
        deepJson(5000, '1'),
      );
      writeFileSync(join(dir, 'run.json'), text);
    },
  },
  {
    id: 'deep-info',
    attack: 'silent-loss',
    title: 'info.json nested 5,000 levels',
    build: (_w, dir) => {
      writeRun(dir, baseRun());
      writeFileSync(join(dir, 'info.json'), deepJson(5000, '[]'));
    },
  },
  // --- messages ---
  {
    id: 'bom-run',
    attack: 'messages',
    title: 'run.json starting with a UTF-8 byte-order mark',
    build: (_w, dir) => {
      writeRun(dir, baseRun());
      writeFileSync(join(dir, 'run.json'), `\ufeff${JSON.stringify(baseRun())}`);
    },
  },
  {
    id: 'utf16le-run',
    attack: 'messages',
    title: 'run.json in UTF-16 (little endian, with BOM)',
    build: (_w, dir) => {
      writeRun(dir, baseRun());
      writeFileSync(
        join(dir, 'run.json'),
        Buffer.from(`\ufeff${JSON.stringify(baseRun())}`, 'utf16le'),
      );
    },
  },
  {
    id: 'utf16be-run',
    attack: 'messages',
    title: 'run.json in UTF-16 (big endian, with BOM)',
    build: (_w, dir) => {
      writeRun(dir, baseRun());
      const le = Buffer.from(`\ufeff${JSON.stringify(baseRun())}`, 'utf16le');
      writeFileSync(join(dir, 'run.json'), le.swap16());
    },
  },
  {
    id: 'utf16-nobom-config',
    attack: 'messages',
    title: 'config.json in UTF-16 without a byte-order mark',
    build: (_w, dir) => {
      writeRun(dir, baseRun());
      writeFileSync(join(dir, 'config.json'), Buffer.from('{"seed": 1}', 'utf16le'));
    },
  },
  {
    id: 'status-number',
    attack: 'messages',
    title: 'a status that is a number',
    build: (_w, dir) => writeRun(dir, baseRun({ status: 3 })),
  },
  {
    id: 'status-object',
    attack: 'messages',
    title: 'a status that is an object',
    build: (_w, dir) => writeRun(dir, baseRun({ status: { name: 'COMPLETED' } })),
  },
];

/** Builds a source folder holding the given cases (all by default) under a fresh temp dir. */
export function buildHostileWorld(cases: readonly HostileCase[] = hostileCases): HostileWorld {
  const root = mkdtempSync(join(tmpdir(), 'altar-hostile-'));
  const folder = join(root, 'runs');
  const outside = join(root, 'outside');
  const experiments = join(root, 'experiments');
  mkdirSync(folder);
  mkdirSync(outside);
  mkdirSync(experiments);
  const secretPath = join(outside, 'secret.txt');
  writeFileSync(secretPath, `${SECRET}\n`);
  writeFileSync(join(outside, 'creds.json'), JSON.stringify({ token: SECRET }));
  writeFileSync(join(experiments, 'train.py'), 'print("train")\n');
  const world: HostileWorld = {
    root,
    folder,
    outside,
    secret: SECRET,
    secretPath,
    experiments,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const hostile of cases) {
    const dir = join(folder, hostile.id);
    mkdirSync(dir);
    hostile.build(world, dir);
  }
  return world;
}

/** A readable run as a start for the half-written tests (item 9). */
export function writeGoodRun(folder: string, id: string): string {
  const dir = join(folder, id);
  mkdirSync(dir, { recursive: true });
  writeRun(dir, baseRun({ status: 'RUNNING', result: 42 }));
  return dir;
}

export function casesOf(attack: AttackClass): HostileCase[] {
  return hostileCases.filter((hostile) => hostile.attack === attack);
}
