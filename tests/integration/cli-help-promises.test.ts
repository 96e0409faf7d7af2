// What `altar-viewer --help` promises and no other test exercised, run as a user would (child
// processes): -V, runs --desc, the START column in the user's zone, storage set --region
// --virtual-host, serve --port N, opening a browser, and sync --watch on a folder source.
// Every test makes its own data dir and folder.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Papa from 'papaparse';
import { afterEach, describe, expect, it, vi } from 'vitest';
import packageJson from '../../package.json';
import { cliCommand } from '../support/cli-command';
import { repoRoot, runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';
import { writeSyntheticRun } from './core-test-folder';

const spaces: Workspace[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const space of spaces.splice(0)) space.remove();
});

function ownWorkspace(): Workspace {
  const space = workspace();
  spaces.push(space);
  return space;
}

/** A folder source "lab" of runs a, b, c: started at 01:00, 02:00, 03:00 UTC, lr 0.3, 0.1, 0.2. */
async function labWithThreeRuns(): Promise<{ space: Workspace; folder: string }> {
  const space = ownWorkspace();
  const folder = join(space.root, 'runs');
  const runs: [string, string, number][] = [
    ['a', '2026-01-01T01:00:00', 0.3],
    ['b', '2026-01-01T02:00:00', 0.1],
    ['c', '2026-01-01T03:00:00', 0.2],
  ];
  for (const [id, startTime, lr] of runs) {
    const dir = writeSyntheticRun(folder, id, { startTime });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ lr }));
  }
  const added = await runCli([
    '--data-dir',
    space.dataDir,
    'sources',
    'add',
    'lab',
    '--folder',
    folder,
  ]);
  expect(added.code, added.stderr).toBe(0);
  return { space, folder };
}

function csvColumn(text: string, column: string): string[] {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
  return parsed.data.map((row) => row[column] ?? '');
}

/** Spawns the CLI; `lines` collects stdout lines, `waitForLine` resolves on the first match. */
function spawnCli(args: readonly string[], env: Record<string, string | undefined> = {}) {
  const cli = cliCommand(args);
  const child = spawn(cli.command, cli.args, {
    cwd: repoRoot,
    env: { ...process.env, CI: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const wait of waiting.splice(0)) {
      if (wait.pattern.test(line)) wait.resolve(line);
      else waiting.push(wait);
    }
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitForLine = (pattern: RegExp): Promise<string> => {
    const seen = lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return Promise.race([
      new Promise<string>((resolve) => waiting.push({ pattern, resolve })),
      exited.then((code) => {
        throw new Error(`exited (${code}) before ${pattern}: ${stderr}`);
      }),
    ]);
  };
  return { child, lines, exited, waitForLine, stderr: () => stderr };
}

/** A port that was free a moment ago: bound by us on loopback, then closed. */
async function freedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  server.close();
  await once(server, 'close');
  return address.port;
}

describe('altar-viewer -V', () => {
  it('prints the version of the package, as -V and --version', async () => {
    for (const flag of ['-V', '--version']) {
      const result = await runCli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`altar-viewer ${packageJson.version}\n`);
      expect(result.stderr).toBe('');
    }
  });
});

describe('altar-viewer runs --desc', () => {
  it('flips the order: oldest first alone, and every --sort key', async () => {
    const { space } = await labWithThreeRuns();
    const cli = (...args: string[]) => runCli(['--data-dir', space.dataDir, ...args]);
    expect((await cli('sync')).code).toBe(0);
    const ids = async (...args: string[]) => {
      const result = await cli('runs', '--columns', 'id', '--format', 'csv', ...args);
      expect(result.code, result.stderr).toBe(0);
      return csvColumn(result.stdout, 'id');
    };
    // The default is newest first.
    expect(await ids('--where', 'status = COMPLETED')).toEqual(['c', 'b', 'a']);
    expect(await ids('--desc')).toEqual(['a', 'b', 'c']);
    expect(await ids('--sort', 'config.lr')).toEqual(['b', 'c', 'a']);
    expect(await ids('--sort', 'config.lr', '--desc')).toEqual(['a', 'c', 'b']);
    expect(await ids('--sort', 'config.lr:desc', '--desc')).toEqual(['b', 'c', 'a']);
  }, 120_000);
});

describe('the START column of runs', () => {
  it('shows the start in the zone of the user running the command', async () => {
    const { space } = await labWithThreeRuns();
    expect((await runCli(['--data-dir', space.dataDir, 'sync'])).code).toBe(0);
    const result = await runCli(['--data-dir', space.dataDir, 'runs'], { TZ: 'Asia/Tokyo' });
    expect(result.code, result.stderr).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    const at = header?.indexOf('START') ?? -1;
    expect(at).toBeGreaterThan(0);
    // Run a started at 01:00 UTC: 10:00 in Tokyo.
    const rowA = rows.find((row) => row.startsWith('a '));
    expect(rowA?.slice(at, at + 16)).toBe('2026-01-01 10:00');
  }, 120_000);
});

describe('altar-viewer storage set --region --virtual-host', () => {
  it('stores the region and virtual-hosted addressing, and shows them', async () => {
    const { space } = await labWithThreeRuns();
    const cli = (...args: string[]) =>
      runCli(['--data-dir', space.dataDir, ...args], { ALTAR_S3_SECRET: '' });
    const set = await cli(
      'storage',
      'set',
      'lab',
      '--endpoint',
      'https://minio.lab.example:9000',
      '--access-key',
      'LABKEY',
      '--region',
      'eu-west-3',
      '--virtual-host',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/Region:\s+eu-west-3\n/u);
    expect(set.stdout).toMatch(/Addressing:\s+virtual-hosted\n/u);
    const shown = await cli('storage', 'show', 'lab', '--format', 'json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      endpoint: 'https://minio.lab.example:9000',
      region: 'eu-west-3',
      pathStyle: false,
      accessKeyId: 'LABKEY',
    });
    // Without the flags: the documented defaults, path-style and us-east-1.
    const plain = ownWorkspace();
    await runCli(['--data-dir', plain.dataDir, 'sources', 'add', 'lab', '--folder', plain.root]);
    await runCli(
      [
        '--data-dir',
        plain.dataDir,
        'storage',
        'set',
        'lab',
        '--endpoint',
        'https://minio.lab.example:9000',
        '--access-key',
        'LABKEY',
      ],
      { ALTAR_S3_SECRET: '' },
    );
    const defaults = await runCli([
      '--data-dir',
      plain.dataDir,
      'storage',
      'show',
      'lab',
      '--format',
      'json',
    ]);
    expect(JSON.parse(defaults.stdout)).toMatchObject({ region: 'us-east-1', pathStyle: true });
  }, 120_000);
});

describe('altar-viewer serve', () => {
  it('listens on the --port given', async () => {
    const space = ownWorkspace();
    const port = await freedPort();
    const serve = spawnCli([
      '--data-dir',
      space.dataDir,
      'serve',
      '--port',
      String(port),
      '--no-open',
    ]);
    const line = await serve.waitForLine(/^Altar Viewer is serving at /u);
    const url = new URL(line.replace(/^Altar Viewer is serving at /u, ''));
    expect(url.port).toBe(String(port));
    const response = await fetch(new URL('/api/listSources', url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${url.searchParams.get('token') ?? ''}`,
      },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, result: [] });
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  }, 120_000);

  it('opens the printed URL in a browser where there is a display, and not with --no-open', async () => {
    const space = ownWorkspace();
    // A stand-in for xdg-open that writes down the URL it was given.
    const bin = join(space.root, 'bin');
    mkdirSync(bin);
    const opened = join(space.root, 'opened.txt');
    writeFileSync(
      join(bin, 'xdg-open'),
      // It also keeps the page it was given: the page is removed once the browser had time.
      `#!/bin/sh\ncat "$(printf '%s' "$1" | sed 's|^file://||')" > '${opened}.page'\n` +
        `printf '%s' "$1" > '${opened}.tmp'\nmv '${opened}.tmp' '${opened}'\n`,
    );
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const env = { CI: '', DISPLAY: ':99', PATH: `${bin}:${process.env.PATH ?? ''}` };

    const quiet = spawnCli(['--data-dir', space.dataDir, 'serve', '--port', '0', '--no-open'], env);
    await quiet.waitForLine(/^Altar Viewer is serving at /u);
    quiet.child.kill('SIGTERM');
    expect(await quiet.exited).toBe(0);
    expect(existsSync(opened)).toBe(false);

    const serve = spawnCli(['--data-dir', space.dataDir, 'serve', '--port', '0'], env);
    const line = await serve.waitForLine(/^Altar Viewer is serving at /u);
    const url = line.replace(/^Altar Viewer is serving at /u, '');
    await vi.waitFor(() => expect(existsSync(opened)).toBe(true), { timeout: 20_000 });
    // The opener gets a private launcher page (its command line is visible to every local
    // user), which sends the browser to this server with a one-time code, never the token.
    const printed = new URL(url);
    expect(readFileSync(opened, 'utf8')).toMatch(/^file:\/\/\/.*\.html$/u);
    const page = readFileSync(`${opened}.page`, 'utf8');
    expect(page).toContain(`http://127.0.0.1:${printed.port}/?code=`);
    expect(page).not.toContain(printed.searchParams.get('token') ?? 'no token printed');
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  }, 120_000);
});

describe('altar-viewer sync --watch on a folder source', () => {
  it('reads a run added between two rounds, and stops on Ctrl+C', async () => {
    const { space, folder } = await labWithThreeRuns();
    const watch = spawnCli(['--data-dir', space.dataDir, 'sync', '--watch', '--interval', '1']);
    await watch.waitForLine(/^lab: 3 runs \(3 added, 0 updated, 0 removed, 0 unreadable\)/u);
    writeSyntheticRun(folder, 'd', { startTime: '2026-01-01T04:00:00' });
    await watch.waitForLine(/^lab: 4 runs \(1 added, 0 updated, 0 removed, 0 unreadable\)/u);
    watch.child.kill('SIGINT');
    expect(await watch.exited, watch.stderr()).toBe(0);
    const listed = await runCli(['--data-dir', space.dataDir, 'runs', '--format', 'json']);
    const ids = (JSON.parse(listed.stdout) as { id: string }[]).map((run) => run.id).sort();
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
  }, 120_000);
});
