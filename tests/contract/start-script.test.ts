// `npm start` picks Electron when its binary is there and the browser otherwise; it must never
// require('electron') (that downloads the binary) and must pass signals and exit codes through.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const startScript = path.join(repoRoot, 'build/start.mjs');
const scratch: string[] = [];

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeElectronDir(script: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'altar-fake-electron-'));
  scratch.push(dir);
  const bin = path.join(dir, 'electron');
  writeFileSync(bin, `#!/bin/sh\n${script}\n`);
  chmodSync(bin, 0o755);
  return dir;
}

function runStart(env: Record<string, string>) {
  const child = spawn(process.execPath, [startScript], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (output.includes(text)) resolve();
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.on('exit', () =>
        output.includes(text) ? resolve() : reject(new Error(`no "${text}" in:\n${output}`)),
      );
      check();
    });
  return { child, exit, waitFor, output: () => output };
}

describe('build/start.mjs', () => {
  it('runs the Electron binary on the app folder and exits with its code', async () => {
    const dir = fakeElectronDir('echo "electron started with $1"; exit 7');
    const run = runStart({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    expect(await run.exit).toBe(7);
    expect(run.output()).toContain(`electron started with ${repoRoot}`);
    expect(run.output()).not.toContain('Electron runtime not available');
  });

  it('passes SIGTERM on to the app', async () => {
    const dir = fakeElectronDir(
      "trap 'echo got-term; exit 143' TERM\necho ready\nwhile true; do sleep 0.05; done",
    );
    const run = runStart({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    await run.waitFor('ready');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(143);
    expect(run.output()).toContain('got-term');
  });

  it('falls back to the browser with one line of explanation when there is no binary', async () => {
    const missing = path.join(tmpdir(), 'altar-no-electron-here');
    const run = runStart({ ELECTRON_OVERRIDE_DIST_PATH: missing });
    await run.waitFor('\n');
    const firstLine = run.output().split('\n')[0];
    expect(firstLine).toBe(
      'Electron runtime not available on this machine; serving the UI in your browser instead.',
    );
    if (run.child.exitCode === null) run.child.kill('SIGTERM');
    await run.exit;
  });
});
