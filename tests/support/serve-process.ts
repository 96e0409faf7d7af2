import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopChild } from './stop-child';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface ServedApp {
  url: string;
  origin: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** A data dir prepared beforehand (sources added through the CLI); removed on stop. */
  dataDir?: string;
  /** Leave the data dir in place on stop (a benchmark serves the same data several times). */
  keepDataDir?: boolean;
  /** Extra environment (ALTAR_MONGO_PASSWORD, ...). */
  env?: Record<string, string>;
  /**
   * Another build's CLI (a bench comparing two builds); else $ALTAR_SERVE_CLI, else
   * dist/cli.mjs. The build's dist/renderer is served from beside it.
   */
  cli?: string;
}

/** Starts the built CLI's browser mode (`altar-viewer serve`) on a fresh data dir, port 0. */
export async function startServedApp(options: ServeOptions = {}): Promise<ServedApp> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'altar-e2e-'));
  const child = spawn(
    process.execPath,
    [
      options.cli ?? process.env.ALTAR_SERVE_CLI ?? path.join(repoRoot, 'dist/cli.mjs'),
      '--data-dir',
      dataDir,
      'serve',
      '--port',
      '0',
      '--no-open',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1', ...options.env },
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    // Killed when it never printed its URL: the caller has no handle to stop it.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve printed no URL within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/u.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    process: child,
    async stop() {
      try {
        await stopChild(child, 'altar-viewer serve', () => output);
        // It ended, but only by its deadline: worth a line in the test log.
        const late = /^altar-viewer: still closing .*$/mu.exec(output);
        if (late !== null) console.warn(late[0]);
      } finally {
        if (options.keepDataDir !== true) rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** A generated Sacred FileStorage folder in a fresh temp dir (tests/support/write-sacred-folder.ts). */
export function writeGeneratedFolder(label: string, runs: number, seed: number): string {
  const folder = mkdtempSync(path.join(tmpdir(), `altar-e2e-${label}-`));
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(repoRoot, 'tests/support/write-sacred-folder.ts'),
      folder,
      String(runs),
      String(seed),
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  return folder;
}
