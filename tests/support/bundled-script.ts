import { mkdtempSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { inject } from 'vitest';

/**
 * A test's child script (a .ts file a test starts as its own process) bundled into this test
 * run's build folder (tests/support/cli-bundle.global.ts), with the CLI's build options: the
 * test starts it as `node <returned file>`, without tsx compiling it in every child (~0.8 s of
 * CPU a start). Dependencies stay in node_modules, which the build folder sees.
 */
export async function bundledScript(entry: string): Promise<string> {
  const runBuild = inject('altarMainBuild');
  const outfile = join(mkdtempSync(join(runBuild, 'script-')), `${basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}
