// Bundles the Node side: the CLI, the Electron main process and the sandboxed preload.
// Dependencies stay in node_modules (packages: 'external'), except in the preload, which
// Electron loads as one self-contained CommonJS file.
import { Buffer } from 'node:buffer';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);
// `--out DIR` builds somewhere else than dist/ (a test's private copy); DIR must see node_modules.
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag >= 0 ? path.resolve(process.argv[outFlag + 1]) : at('dist');
const out = (file) => path.join(outDir, file);

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
  // The CLI is split: dist/cli.mjs holds the parser, --help and --version; each command and the
  // core are chunks in dist/cli-chunks/ imported when a command runs (main/cli/run-cli.ts), so a
  // light command does not pay for loading the MongoDB driver, the AWS SDK and zod.
  {
    ...nodeCommon,
    entryPoints: [at('main/cli/index.ts')],
    outdir: outDir,
    entryNames: 'cli',
    splitting: true,
    chunkNames: 'cli-chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    metafile: true,
  },
  {
    ...nodeCommon,
    entryPoints: [at('main/electron/main.ts')],
    outfile: out('electron-main.mjs'),
    external: ['electron'],
  },
  // The folder sync's read worker: main/core/folder/run-reader-worker.ts starts it from next to
  // the bundle holding the core (dist/ for Electron, dist/cli-chunks/ → dist/ for the CLI).
  {
    ...nodeCommon,
    entryPoints: [at('main/core/folder/read-run-worker.ts')],
    outfile: out('folder-read-worker.mjs'),
  },
  // The column catalog's build thread: main/core/query/catalog-build-thread.ts, found the same way.
  {
    ...nodeCommon,
    entryPoints: [at('main/core/query/catalog-build-worker.ts')],
    outfile: out('catalog-build-worker.mjs'),
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
    outfile: out('preload.cjs'),
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

/**
 * Several builds and running CLIs share dist/ (tests, e2e, other checkouts' scripts): each file
 * is replaced by a rename, never rewritten in place, so a CLI starting meanwhile never reads a
 * half-written chunk; unchanged files are left alone; chunks come before the entry files that
 * import them.
 */
function writeOutputs(files) {
  const entriesLast = [...files].sort(
    (a, b) => Number(!a.path.includes('cli-chunks')) - Number(!b.path.includes('cli-chunks')),
  );
  for (const file of entriesLast) {
    let same = false;
    try {
      same = Buffer.compare(readFileSync(file.path), file.contents) === 0;
    } catch {
      // not there yet
    }
    if (same) continue;
    mkdirSync(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

try {
  const results = await Promise.all(builds.map((options) => build({ ...options, write: false })));
  writeOutputs(results.flatMap((result) => result.outputFiles));
  const [cli] = results;
  // Chunks are named by content hash: older builds' would pile up (and be packed). They are
  // removed after the build, not before, so a CLI started meanwhile finds its chunks, and only
  // once a few minutes old, since a build running at the same time may have just written them.
  const written = new Set(Object.keys(cli.metafile.outputs).map((file) => path.resolve(file)));
  const settled = Date.now() - 5 * 60_000;
  for (const name of readdirSync(out('cli-chunks'))) {
    const file = out(path.join('cli-chunks', name));
    try {
      if (!written.has(file) && statSync(file).mtimeMs < settled) rmSync(file, { force: true });
    } catch {
      // removed by another build meanwhile
    }
  }
  console.log(
    'build-main: dist/cli.mjs (+ dist/cli-chunks/), dist/electron-main.mjs, dist/folder-read-worker.mjs, dist/catalog-build-worker.mjs, dist/preload.cjs',
  );
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}
