// The installed app is the CLI too: the built dist/electron-main.mjs under the stand-in `electron` module,
// started as `altar-viewer <command>`, runs the command with no window and exits with its code,
// in the data folder the window uses.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { PRODUCT_NAME } from '../../main/core/default-data-dir';
import { parseCommandLine } from '../../main/cli/command-line';
import { cliArgumentsOf } from '../../main/electron/cli-invocation';
import { CLI_COMMANDS } from '../../shared/cli-commands';
import { resetStandIn, standIn } from './electron-stand-in';

vi.mock('electron', async () => (await import('./electron-stand-in')).electronStandIn);
// The built bundles, as the installer packs them: electron-main.mjs imports cli.mjs. This test
// run's build (tests/support/cli-bundle.global.ts: build/build-main.mjs --out, what makes dist/),
// so the test sees this checkout's code and never rewrites dist/ under a running e2e test.
const build = inject('altarMainBuild');

const patiently = { timeout: 20_000, interval: 20 };
const configHome = mkdtempSync(join(tmpdir(), 'altar-electron-cli-'));
const realArgv = process.argv;

/** Starts a fresh copy of the entry point as the packaged binary with these arguments. */
async function startInstalled(...args: string[]): Promise<{ code: number; out: string }> {
  resetStandIn({ isPackaged: true });
  process.argv = ['/opt/Altar Viewer/altar-viewer', ...args];
  const out: string[] = [];
  const write = (chunk: string | Uint8Array): boolean => (out.push(String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(write);
  vi.spyOn(process.stderr, 'write').mockImplementation(write);
  vi.resetModules();
  await import(pathToFileURL(join(build, 'electron-main.mjs')).href);
  await vi.waitFor(
    () => expect(standIn.calls.some((c) => c.call === 'app.exit')).toBe(true),
    patiently,
  );
  const exit = standIn.calls.find((c) => c.call === 'app.exit')!;
  vi.restoreAllMocks();
  // cli.mjs sets the process's exit code, which would be the test runner's.
  process.exitCode = undefined;
  return { code: exit.args[0] as number, out: out.join('') };
}

beforeAll(() => {
  vi.stubEnv('XDG_CONFIG_HOME', configHome);
  vi.stubEnv('ALTAR_DATA_DIR', '');
});

afterEach(() => {
  process.argv = realArgv;
  vi.restoreAllMocks();
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(configHome, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('altar-viewer <command> (the installed app)', () => {
  it("runs the CLI with no window, in the app's data folder, and exits with its code", async () => {
    const { code, out } = await startInstalled('sources', 'list');
    expect(code).toBe(0);
    const calls = standIn.calls.map((c) => c.call);
    expect(calls).not.toContain('new BrowserWindow');
    expect(calls).not.toContain('app.requestSingleInstanceLock');
    expect(existsSync(join(configHome, PRODUCT_NAME, 'cache.sqlite'))).toBe(true);
    expect(out).not.toContain('Usage');
  });

  it("exits with the CLI's usage code and message on a bad command line", async () => {
    const { code, out } = await startInstalled('runs', '--no-such-option');
    expect(code).toBe(2);
    expect(out).toMatch(/no-such-option/);
    expect(standIn.calls.map((c) => c.call)).not.toContain('new BrowserWindow');
  });

  it('prints the version for --version (the AppImage launcher may add --no-sandbox)', async () => {
    const { code, out } = await startInstalled('--no-sandbox', '--version');
    expect(code).toBe(0);
    expect(out).toMatch(/^altar-viewer \d+\.\d+\.\d+/);
  });
});

describe('which command lines are the CLI', () => {
  const packaged = (...args: string[]) => cliArgumentsOf(['/usr/bin/altar-viewer', ...args], false);

  it('takes every CLI command, with global options before it', () => {
    expect(packaged('sync')).toEqual(['sync']);
    expect(packaged('--data-dir', '/tmp/x', 'runs', '--json')).toEqual([
      '--data-dir',
      '/tmp/x',
      'runs',
      '--json',
    ]);
    expect(packaged('-h')).toEqual(['-h']);
    expect(cliArgumentsOf(['electron', 'dist/electron-main.mjs', 'serve'], true)).toEqual([
      'serve',
    ]);
  });

  it('knows every command the CLI has (the list the CLI tables are typed by)', () => {
    expect(CLI_COMMANDS).toContain('raw-data');
    expect(CLI_COMMANDS).toContain('users passwd');
    for (const command of CLI_COMMANDS) {
      const words = command.split(' ');
      expect(parseCommandLine([...words, '--help']).command).toBe(command);
      expect(packaged(...words, '--help')).toEqual([...words, '--help']);
    }
  });

  it('opens the window otherwise: no arguments, a folder to open, Chromium switches', () => {
    expect(packaged()).toBeNull();
    expect(packaged('/home/me/runs')).toBeNull();
    expect(packaged('--no-sandbox')).toBeNull();
    expect(packaged('--data-dir', 'sync')).toBeNull();
    expect(cliArgumentsOf(['electron', 'dist/electron-main.mjs'], true)).toBeNull();
  });
});
