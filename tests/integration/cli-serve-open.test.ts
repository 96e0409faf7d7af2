// Issue 11 item 7: while `serve` starts the browser, its command line (what `ps` shows every
// local user) must not hold the token. A stand-in xdg-open records what it was given.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand } from '../support/cli-command';
import { printedServeUrl, repoRoot, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

/** Resolves once `file` exists (the opener runs detached, after serve printed its URL). */
async function appeared(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe.skipIf(process.platform !== 'linux')('altar-viewer serve opening a browser', () => {
  it('hands the opener a private page with a one-time code, never the token', async () => {
    const bin = path.join(ws.root, 'bin');
    mkdirSync(bin);
    const argsFile = path.join(ws.root, 'opener-args.txt');
    const opener = path.join(bin, 'xdg-open');
    writeFileSync(
      opener,
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${argsFile}.part"\nmv "${argsFile}.part" "${argsFile}"\n`,
    );
    chmodSync(opener, 0o755);

    const cli = cliCommand(['--data-dir', ws.dataDir, 'serve', '--port', '0']);
    const child = spawn(cli.command, cli.args, {
      cwd: repoRoot,
      env: { ...process.env, CI: '', DISPLAY: ':99', PATH: `${bin}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { url: printed, stderr } = await printedServeUrl(child);
    const exited = once(child, 'exit');
    try {
      const printedUrl = new URL(printed);
      const token = printedUrl.searchParams.get('token')!;
      expect(token.length).toBeGreaterThanOrEqual(43);

      await appeared(argsFile);
      const openerArgs = readFileSync(argsFile, 'utf8').trim().split('\n');
      expect(openerArgs).toHaveLength(1);
      expect(openerArgs[0]).not.toContain(token);
      expect(openerArgs[0]).toMatch(/^file:\/\//u);

      const page = fileURLToPath(openerArgs[0]!);
      expect(statSync(page).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(page)).mode & 0o777).toBe(0o700);
      const html = readFileSync(page, 'utf8');
      expect(html).not.toContain(token);
      const launch = /url=(http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+)"/u.exec(html)?.[1];
      expect(launch).toBeDefined();

      const first = await fetch(launch!, { redirect: 'manual' });
      expect(first.status).toBe(200);
      const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
      const call = await fetch(new URL('/api/listSources', printedUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: '{}',
      });
      expect(call.status).toBe(200);
      expect((await fetch(launch!, { redirect: 'manual' })).status).toBe(401);

      // The printed URL still opens the app for a person who copies it.
      expect((await fetch(printed, { redirect: 'manual' })).status).toBe(302);
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(existsSync(page)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    expect(stderr()).toBe('');
  });
});
