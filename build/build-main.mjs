// Bundles the Node side: the CLI, the Electron main process and the sandboxed preload.
// Dependencies stay in node_modules (packages: 'external'), except in the preload, which
// Electron loads as one self-contained CommonJS file.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);

const nodeCommon = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

const builds = [
  { ...nodeCommon, entryPoints: [at('main/cli/index.ts')], outfile: at('dist/cli.mjs') },
  {
    ...nodeCommon,
    entryPoints: [at('main/electron/main.ts')],
    outfile: at('dist/electron-main.mjs'),
    external: ['electron'],
  },
  {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    minify: true,
    logLevel: 'warning',
    entryPoints: [at('preload/preload.ts')],
    outfile: at('dist/preload.cjs'),
    external: ['electron'],
  },
];

const missing = builds.flatMap((b) => b.entryPoints).filter((entry) => !existsSync(entry));
if (missing.length > 0) {
  console.error(
    `build-main: missing entry point(s): ${missing.map((m) => path.relative(root, m)).join(', ')}`,
  );
  process.exit(1);
}

try {
  await Promise.all(builds.map((options) => build(options)));
  console.log('build-main: dist/cli.mjs, dist/electron-main.mjs, dist/preload.cjs');
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}
