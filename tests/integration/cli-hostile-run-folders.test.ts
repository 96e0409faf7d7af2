// Issue 11 through the CLI door: a folder of hostile runs syncs in bounded time and lists every
// run with its reason, trusted folders are set with `sources set`, and `serve` still stops on
// SIGTERM after syncing such a folder (a FIFO read used to hold it forever).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary, SourceInfo } from '../../shared/contract';
import { buildHostileWorld, hostileCases, writeGoodRun } from '../support/hostile-run-folders';
import type { HostileWorld } from '../support/hostile-run-folders';
import { cliCommand } from '../support/cli-command';
import { printedServeUrl, repoRoot, runCli } from './cli-support';
import type { CliResult } from './cli-support';

let world: HostileWorld;
let dataDir: string;

function cli(args: string[]) {
  return runCli(['--data-dir', dataDir, ...args]);
}

let synced: CliResult;

// Tests run in a random order: the sync they start from happens here (two CLI processes).
beforeAll(async () => {
  world = buildHostileWorld();
  dataDir = join(world.root, 'data');
  const added = await cli(['sources', 'add', 'hostile', '--folder', world.folder]);
  expect(added.stderr).toBe('');
  synced = await cli(['sync', 'hostile']);
}, 120_000);

afterAll(() => world?.remove());

describe('altar-viewer on hostile run folders', () => {
  it('syncs them and lists every run folder, readable or with its reason', async () => {
    expect(synced.stderr).toBe('');
    expect(synced.code).toBe(0);
    const listed = await cli(['runs', '--source', 'hostile', '--format', 'json']);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as RunSummary[];
    expect(runs.map((run) => run.id).sort()).toEqual(hostileCases.map((c) => c.id).sort());
    expect(runs.find((run) => run.id === 'fifo-run')?.unreadable).toMatch(/named pipe \(FIFO\)/u);
    expect(runs.find((run) => run.id === 'deep-run')?.unreadable).toMatch(/nests more than/u);
    expect(runs.find((run) => run.id === 'utf16le-run')?.unreadable).toMatch(/UTF-16/u);
    expect(listed.stdout).not.toContain(world.secret);
  });

  // Each CLI process starts tsx: seconds on a busy machine, about 17 s each on two cores loaded
  // ten times over. Two tests of three and four processes, each within its own time.
  it('trusts and untrusts folders with sources set', async () => {
    const trusted = await cli(['sources', 'set', 'hostile', '--trust', world.experiments]);
    expect(trusted.stderr).toBe('');
    expect(trusted.stdout).toContain(world.experiments);
    const shown = await cli(['sources', 'list', '--format', 'json']);
    const [source] = JSON.parse(shown.stdout) as SourceInfo[];
    expect(source?.trustedFolders).toEqual([world.experiments]);

    const untrusted = await cli(['sources', 'set', 'hostile', '--untrust', world.experiments]);
    expect(untrusted.stdout).toContain('trusts no folder besides its own');
  }, 120_000);

  it('refuses a missing or too wide folder to trust, and a set with nothing to set', async () => {
    const missing = await cli(['sources', 'set', 'hostile', '--trust', join(world.root, 'nope')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/does not exist/u);
    const root = await cli(['sources', 'set', 'hostile', '--trust', '/']);
    expect(root.code).toBe(2);
    expect(root.stderr).toMatch(/too wide to trust/u);
    const nothing = await cli(['sources', 'set', 'hostile']);
    expect(nothing.code).toBe(2);
  }, 120_000);

  it('keeps a good run when its run.json is half-written, and says so after the sync', async () => {
    const live = join(world.root, 'live');
    writeGoodRun(live, '1');
    expect((await cli(['sources', 'add', 'live', '--folder', live])).code).toBe(0);
    expect((await cli(['sync', 'live'])).code).toBe(0);
    writeFileSync(join(live, '1', 'run.json'), '{"status": "RUNN');
    const synced = await cli(['sync', 'live']);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('1 half-written, kept as last read, read again next sync');
    const listed = await cli(['runs', '--source', 'live', '--format', 'json']);
    const [run] = JSON.parse(listed.stdout) as RunSummary[];
    expect(run).toMatchObject({ id: '1', status: 'RUNNING', unreadable: null });
  }, 120_000);

  it('serve syncs the folder and still stops on SIGTERM', async () => {
    const cli = cliCommand(['--data-dir', dataDir, 'serve', '--port', '0', '--no-open']);
    const child = spawn(cli.command, cli.args, {
      cwd: repoRoot,
      env: { ...process.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { url } = await printedServeUrl(child);
    const exited = once(child, 'exit');
    try {
      const target = new URL(url);
      const token = target.searchParams.get('token')!;
      const call = (method: string, body: unknown) =>
        fetch(new URL(`/api/${method}`, target), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
      // Every run read again, FIFOs and devices included.
      await call('removeSource', { name: 'hostile' });
      await call('addFolderSource', { name: 'hostile', path: world.folder });
      const synced = await call('syncSources', { names: ['hostile'] });
      expect(synced.status).toBe(200);
      const source = await call('getSourceFile', {
        source: 'hostile',
        id: 'src-dotdot',
        name: 'a.py',
      });
      // The core's refusal is a result (200, error in the envelope), not an HTTP failure.
      expect(source.status).toBe(200);
      const refusal = await source.text();
      expect(JSON.parse(refusal)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(refusal).toContain('sources set hostile --trust');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
  }, 60_000);
});
