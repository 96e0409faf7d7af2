import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliEntry = join(repoRoot, 'main', 'cli', 'index.ts');

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
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cliEntry, ...args],
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
