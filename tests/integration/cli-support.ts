import { execFile } from 'node:child_process';
import type { ChildProcessByStdio, ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable } from 'node:stream';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliCommand } from '../support/cli-command';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user would (no TTY: no progress bar). */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const cli = cliCommand(args);
  return new Promise((done) => {
    execFile(
      cli.command,
      cli.args,
      {
        cwd: repoRoot,
        env: { ...process.env, ALTAR_DEBUG: '', CI: '1', ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}

export interface Workspace {
  root: string;
  dataDir: string;
  /** A copy of a fixture folder inside the workspace. */
  copyFixture(name: string): string;
  remove(): void;
}

export function workspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'altar-cli-'));
  return {
    root,
    dataDir: join(root, 'data'),
    copyFixture(name) {
      const target = join(root, name);
      cpSync(join(repoRoot, 'tests', 'fixtures', 'sacred-samples', name), target, {
        recursive: true,
      });
      return target;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function expectNoStackTrace(text: string): boolean {
  return !/^\s+at /mu.test(text);
}

/**
 * The URL a `serve` child prints once it listens (rejects with its stderr if it exits first),
 * and what it has written on stderr so far.
 */
export async function printedServeUrl(
  child: ChildProcessWithoutNullStreams | ChildProcessByStdio<null, Readable, Readable>,
): Promise<{ url: string; stderr: () => string }> {
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Altar Viewer is serving at (\S+)\n/u.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return { url, stderr: () => stderr };
}
