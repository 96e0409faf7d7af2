import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand } from '../support/cli-command';
import { startMongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { printedServeUrl, repoRoot, runCli, workspace } from './cli-support';
import { REAL_MONGO_URI, withWriter } from './mongo-sync-support';
import type { Workspace } from './cli-support';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

/** `serve` on a data dir, started as a user would, once it printed its URL. */
async function startServe(dataDir: string) {
  const cli = cliCommand(['--data-dir', dataDir, 'serve', '--port', '0', '--no-open']);
  const child = spawn(cli.command, cli.args, {
    cwd: repoRoot,
    env: { ...process.env, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  exited.catch(() => undefined);
  return { child, exited, ...(await printedServeUrl(child)) };
}

describe('altar-viewer serve', () => {
  it('prints the URL, answers API calls and stops cleanly on SIGTERM', async () => {
    const { child, url, stderr, exited } = await startServe(ws.dataDir);
    try {
      const target = new URL(url);
      expect(target.hostname).toBe('127.0.0.1');
      const token = target.searchParams.get('token')!;
      const response = await fetch(new URL('/api/listSources', target), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: '{}',
      });
      expect(response.status).toBe(200);
      // The printed URL carries the token: it opens the page (possibly via a cookie redirect),
      // the bare address does not.
      const page = await fetch(url, { redirect: 'manual' });
      expect([200, 302, 303]).toContain(page.status);
      const bare = await fetch(new URL('/', target), { redirect: 'manual' });
      expect(bare.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stderr()).toBe('');
  });

  it.skipIf(REAL_MONGO_URI !== null)(
    'ends on SIGTERM while a sync waits on a MongoDB server that stopped answering',
    async () => {
      const server = await startMongoTestServer();
      const dataDir = `${ws.root}/hung-server`;
      try {
        await withWriter(server.uri, (client) =>
          generateSacredMongo(client.db('lab'), { runs: 12, seed: 7, variants: false }),
        );
        const added = await runCli([
          '--data-dir',
          dataDir,
          ...['sources', 'add', 'lab', '--mongo', server.uri, '--db', 'lab'],
        ]);
        expect(added.code).toBe(0);
        const { child, url, stderr, exited } = await startServe(dataDir);
        const sync = (): Promise<Response> =>
          fetch(new URL('/api/syncSources', url), {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${new URL(url).searchParams.get('token')}`,
            },
            body: JSON.stringify({ names: ['lab'] }),
          });
        try {
          // Connected while the server answers; then every reply comes after 90 s, longer
          // than the driver's 60 s socket timeout.
          expect((await sync()).status).toBe(200);
          const asked = (): number =>
            server
              .commandCounts()
              .reduce((sum, counts) => sum + (counts['listCollections'] ?? 0), 0);
          const before = asked();
          server.setFaults({ delayMs: 90_000 });
          void sync().catch(() => undefined);
          await expect.poll(asked, { timeout: 10_000 }).toBeGreaterThan(before);
        } finally {
          child.kill('SIGTERM');
        }
        const [code] = await exited;
        expect(code).toBe(0);
        // Its close ended the sync at once; the driver's last goodbye to the server (endSessions)
        // would still hold a socket for a while, and the deadline says it stopped waiting.
        expect(stderr()).toMatch(
          /^altar-viewer: still closing \d+ s after the stop signal \(open: [^)]*\); exiting without waiting further\.\n$/u,
        );

        const listed = await runCli(['--data-dir', dataDir, 'sources', 'list', '--format', 'json']);
        const [source] = JSON.parse(listed.stdout) as { runCount: number; lastError: string }[];
        expect(source?.runCount).toBe(12);
        expect(source?.lastError).toMatch(/stopped before it finished/u);
      } finally {
        await server.close();
      }
    },
    40_000,
  );

  it('refuses a non-loopback host with exit code 2', async () => {
    const cli = cliCommand(['--data-dir', ws.dataDir, 'serve', '--host', '0.0.0.0', '--no-open']);
    const child = spawn(cli.command, cli.args, {
      cwd: repoRoot,
      env: { ...process.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^altar-viewer: refusing to listen on "0.0.0.0"/u);
  });
});
