// Fails the packaging when a native module it packs was built for Node.js instead of Electron.
// `npm rebuild better-sqlite3` (the README's switch back to Node for the tests) leaves
// @electron/rebuild's marker behind, so electron-builder's own rebuild trusts the marker and
// would ship the Node binary: the installed app then cannot open its cache at all.
//
// A V8-API addon exports `node_register_module_v<ABI>`; node-abi maps an Electron version to
// the ABI its Node.js has. Used as electron-builder's afterPack hook (electron-builder.yml) and
// from the command line: node build/check-native-abi.mjs FILE.node [ELECTRON_VERSION]
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The ABI a native addon was compiled for, or null for N-API addons (they load anywhere). */
export function nativeModuleAbi(file) {
  const match = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'));
  return match ? Number(match[1]) : null;
}

/** The NODE_MODULE_VERSION of the Node.js inside this Electron version. */
export function electronAbi(electronVersion) {
  const { getAbi } = require('node-abi');
  return Number(getAbi(electronVersion, 'electron'));
}

/** Why this addon cannot load in this Electron, or null when it can. */
export function abiMismatch(file, electronVersion) {
  const built = nativeModuleAbi(file);
  const needed = electronAbi(electronVersion);
  if (built === null || built === needed) return null;
  const builtFor =
    built === Number(process.versions.modules) ? `Node ABI ${built}` : `ABI ${built}`;
  return (
    `${file}: built for ${builtFor}, Electron ${electronVersion} needs ${needed}. ` +
    'Run npx electron-rebuild --force --only better-sqlite3 (npm run dist does).'
  );
}

function nativeFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.node'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** electron-builder afterPack hook: every .node file in the packed app must match Electron. */
export default async function checkPackedNativeAbi(context) {
  const electronVersion = context.packager.info.framework.version;
  const problems = nativeFiles(context.appOutDir)
    .map((file) => abiMismatch(file, electronVersion))
    .filter((problem) => problem !== null);
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, version = require('electron/package.json').version] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node build/check-native-abi.mjs FILE.node [ELECTRON_VERSION]');
    process.exit(2);
  }
  const problem = abiMismatch(file, version);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  console.log(`${file}: ABI ${nativeModuleAbi(file) ?? 'N-API'} loads in Electron ${version}`);
}
