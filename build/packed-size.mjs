// What can be measured of the installed app's size without internet: electron-builder packs the
// Linux app (`--dir`) exactly as for an installer, around a stand-in Electron distribution (no
// Electron can be downloaded here), and this prints the size of app.asar, of
// app.asar.unpacked and of the biggest parts of app.asar. The installers themselves add the
// Electron runtime and compression; the packaging workflow reports their sizes
// (build/installer-sizes.mjs). Needs `npm run build` first (dist/, dist/renderer).
//
// usage: node build/packed-size.mjs
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Buffer } from 'node:buffer';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPackage, statFile } from '@electron/asar';
import { Arch, build, Platform } from 'electron-builder';
import { megabytes } from './installer-sizes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** @electron/fuses finds the fuse wire after this marker; electron-builder.yml sets fuses. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_VERSION = '45.5.0';

function sizeOf(target) {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(target).reduce((sum, entry) => sum + sizeOf(path.join(target, entry)), 0);
}

function standInElectron(dir) {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const wire = '101100011';
  writeFileSync(
    path.join(dir, 'electron'),
    Buffer.concat([
      Buffer.from(`#!/bin/sh\necho stand-in electron\n#${FUSE_SENTINEL}`, 'latin1'),
      Buffer.from([1, wire.length]),
      Buffer.from(`${wire}\n`, 'latin1'),
    ]),
  );
  chmodSync(path.join(dir, 'electron'), 0o755);
  for (const file of ['chrome-sandbox', 'LICENSE', 'LICENSES.chromium.html']) {
    writeFileSync(path.join(dir, file), '');
  }
  writeFileSync(path.join(dir, 'version'), ELECTRON_VERSION);
}

/** The part of app.asar a packed path belongs to: a package, or dist/<first folder>. */
function partOf(file) {
  const parts = file.split('/').filter(Boolean);
  if (parts[0] === 'node_modules')
    return parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0];
}

const work = mkdtempSync(path.join(tmpdir(), 'altar-packed-size-'));
try {
  const electronDist = path.join(work, 'electron-dist');
  standInElectron(electronDist);
  const output = path.join(work, 'release');
  await build({
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    projectDir: root,
    publish: 'never',
    config: {
      extends: path.join(root, 'electron-builder.yml'),
      electronDist,
      electronVersion: ELECTRON_VERSION,
      // Offline: no rebuild for Electron, and the ABI check would refuse the Node build.
      npmRebuild: false,
      afterPack: null,
      directories: { output },
    },
  });
  const resources = path.join(output, 'linux-unpacked', 'resources');
  const asar = path.join(resources, 'app.asar');
  const parts = new Map();
  for (const file of listPackage(asar, { isPack: false })) {
    const entry = statFile(asar, file.slice(1), false);
    if (!('size' in entry) || entry.unpacked) continue;
    parts.set(partOf(file), (parts.get(partOf(file)) ?? 0) + entry.size);
  }
  console.log(`app.asar            ${megabytes(sizeOf(asar))}`);
  console.log(
    `app.asar.unpacked   ${megabytes(sizeOf(path.join(resources, 'app.asar.unpacked')))}`,
  );
  console.log('biggest parts of app.asar:');
  for (const [part, bytes] of [...parts].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${megabytes(bytes).padStart(9)}  ${part}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
