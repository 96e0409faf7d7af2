import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand } from '../support/cli-command';
import { printedServeUrl, repoRoot, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

describe('altar-viewer serve', () => {
  it('prints the URL, answers API calls and stops cleanly on SIGTERM', async () => {
    const cli = cliCommand(['--data-dir', ws.dataDir, 'serve', '--port', '0', '--no-open']);
    const child = spawn(cli.command, cli.args, {
      cwd: repoRoot,
      env: { ...process.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { url, stderr } = await printedServeUrl(child);
    const exited = once(child, 'exit');
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
