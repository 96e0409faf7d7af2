// `altar-viewer sync` for MongoDB sources: the summary line (runs, points, bytes, seconds),
// and --watch, which syncs again every --interval seconds until Ctrl+C.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { cliCommand } from '../support/cli-command';
import { repoRoot, runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';
import { withWriter } from './mongo-sync-support';

const NOW = Date.parse('2026-11-27T00:00:00Z');
const SUMMARY =
  /^lab: (\d+) runs \((\d+) added, (\d+) updated, 0 removed, \d+ unreadable\), (\d+) points, [\d.]+ (B|kB|MB), \d+\.\d s$/u;

describe('altar-viewer sync with a MongoDB source', () => {
  let server: MongoTestServer;
  let ws: Workspace;
  let total: number;

  // A server, database and data dir per test: one test changes a run, another adds one.
  beforeEach(async () => {
    server = await startMongoTestServer();
    total = await withWriter(server.uri, async (client) => {
      const made = await generateSacredMongo(client.db('lab'), {
        runs: 10,
        now: NOW,
        seed: 51,
        variants: false,
      });
      return made.ids.length;
    });
    ws = workspace();
    const added = await runCli([
      '--data-dir',
      ws.dataDir,
      'sources',
      'add',
      'lab',
      '--mongo',
      `${server.uri}/lab`,
    ]);
    expect(added.code, added.stderr).toBe(0);
  }, 60_000);

  afterEach(async () => {
    ws?.remove();
    await server?.close();
  });

  it('prints one summary line with runs, points, bytes and seconds', async () => {
    await withWriter(server.uri, (client) =>
      client
        .db('lab')
        .collection<{ _id: number }>('runs')
        .updateOne({ _id: 1 }, { $set: { heartbeat: new Date(NOW + 1000) } }),
    );
    const result = await runCli(['--data-dir', ws.dataDir, 'sync', 'lab']);
    expect(result.code, result.stderr).toBe(0);
    const match = SUMMARY.exec(result.stdout.trimEnd());
    expect(match, result.stdout).not.toBeNull();
    expect(match?.slice(1, 4)).toEqual([String(total), '0', '1']);
  }, 30_000);

  it('keeps syncing with --watch, one line per round, and stops on Ctrl+C', async () => {
    const cli = cliCommand(['--data-dir', ws.dataDir, 'sync', '--watch', '--interval', '1']);
    const child = spawn(cli.command, cli.args, {
      cwd: repoRoot,
      env: { ...process.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let inserted = false;
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (!inserted) {
          // A run appears between two rounds: a later round adds it.
          inserted = true;
          void withWriter(server.uri, (client) =>
            client
              .db('lab')
              .collection<{ _id: number; [field: string]: unknown }>('runs')
              .insertOne({ _id: 9999, status: 'QUEUED', config: {}, command: 'train' }),
          );
        }
        if (/\(1 added/u.test(line)) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line, line).toMatch(SUMMARY);
    expect(lines.at(-1)).toMatch(new RegExp(`^lab: ${total + 1} runs \\(1 added`, 'u'));
  }, 60_000);

  it('refuses --interval without --watch, and an interval of 0', async () => {
    const alone = await runCli(['--data-dir', ws.dataDir, 'sync', '--interval', '5']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("'--interval' needs '--watch'");
    const zero = await runCli(['--data-dir', ws.dataDir, 'sync', '--watch', '--interval', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--interval must be a whole number from 1');
  }, 30_000);
});
