// vitest globalSetup: bundles the CLI once per test run, so that tests which start the CLI as a
// user would (tests/support/cli-command.ts) run `node <bundle>/cli.mjs`: ~0.4 s a start instead
// of ~1 s (and 2.5 times the CPU) for tsx compiling main/cli/*.ts in every child process.
//
// The bundle is this checkout's code, built with build/build-main.mjs's own options (`--out`),
// into a folder of this run's alone: several runs share the checkout (other engineers, Stryker),
// and dist/ is what e2e runs and the installer use, so it is never touched. The folder is inside
// the repository (.cache/, git-ignored) so that the bundle's imports find node_modules.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * This test run's build of the Node side, as build/build-main.mjs makes dist/: cli.mjs (and
     * cli-chunks/), electron-main.mjs, preload.cjs; no renderer.
     */
    altarMainBuild: string;
  }
}

const root = path.resolve(import.meta.dirname, '../..');
const bundles = path.join(root, '.cache', 'test-cli');

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders left by runs that were killed before their teardown (named `<pid>-…`). */
function removeAbandonedBundles(): void {
  let names: string[];
  try {
    names = readdirSync(bundles);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/u.exec(name)?.[1]);
    if (Number.isSafeInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      rmSync(path.join(bundles, name), { recursive: true, force: true });
    }
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  removeAbandonedBundles();
  mkdirSync(bundles, { recursive: true });
  const outDir = mkdtempSync(path.join(bundles, `${process.pid}-`));
  try {
    await promisify(execFile)(
      process.execPath,
      [path.join(root, 'build', 'build-main.mjs'), '--out', outDir],
      { cwd: root },
    );
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    const { stderr } = error as { stderr?: string };
    throw new Error(`cli-bundle: build/build-main.mjs --out failed:\n${stderr ?? String(error)}`, {
      cause: error,
    });
  }
  project.provide('altarMainBuild', outDir);
  return () => rmSync(outDir, { recursive: true, force: true });
}
