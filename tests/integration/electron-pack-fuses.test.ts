// Packs the app with electron-builder itself (`--dir`, Linux) around a stand-in Electron
// binary that carries only Electron's fuse wire, since no Electron can be downloaded here. It
// proves what a unit check of electron-builder.yml cannot: that electron-builder flips the
// fuses in the binary it ships, and that the packaged package.json names the app so that
// Electron's userData is the CLI's data folder.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractFile } from '@electron/asar';
import { Arch, build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_NAME } from '../../main/core/default-data-dir';

const root = path.resolve(import.meta.dirname, '../..');
/** The marker @electron/fuses looks for; a version byte, a length byte and the wire follow. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse order of wire version 1 (@electron/fuses FuseV1Options). */
const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
  'wasmTrapHandlers',
] as const;
/** Every fuse we set starts in the state it must leave, so each one has to flip. */
const STAND_IN_WIRE = '101100011';

let work: string;
let appDir: string;

function fuseWire(binary: Buffer): Record<string, boolean> {
  const at = binary.indexOf(SENTINEL) + SENTINEL.length;
  expect(binary[at]).toBe(1);
  const wire = binary.subarray(at + 2, at + 2 + binary[at + 1]!).toString('latin1');
  return Object.fromEntries(FUSES.map((name, i) => [name, wire[i] === '1']));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'altar-pack-'));
  const electronDist = path.join(work, 'electron-dist');
  mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
  const binary = path.join(electronDist, 'electron');
  writeFileSync(
    binary,
    Buffer.concat([
      Buffer.from(`#!/bin/sh\necho stand-in electron\n#${SENTINEL}`, 'latin1'),
      Buffer.from([1, STAND_IN_WIRE.length]),
      Buffer.from(`${STAND_IN_WIRE}\n`, 'latin1'),
    ]),
  );
  chmodSync(binary, 0o755);
  for (const file of ['chrome-sandbox', 'LICENSE', 'LICENSES.chromium.html']) {
    writeFileSync(path.join(electronDist, file), '');
  }
  writeFileSync(path.join(electronDist, 'version'), '45.5.0');
  const output = path.join(work, 'release');
  await build({
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    projectDir: root,
    publish: 'never',
    config: {
      extends: path.join(root, 'electron-builder.yml'),
      electronDist,
      electronVersion: '45.5.0',
      // Offline: no native rebuild, and only package.json packed (the file list is another test's).
      npmRebuild: false,
      files: ['package.json', '!**/node_modules/**'],
      asarUnpack: [],
      directories: { output },
    },
  });
  appDir = path.join(output, 'linux-unpacked');
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the packed Linux app', () => {
  it('has its Electron fuses flipped: no run-as-node, NODE_OPTIONS or --inspect; asar only', () => {
    const fuses = fuseWire(readFileSync(path.join(appDir, 'altar-viewer')));
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("carries the product name Electron derives userData from (the CLI's data folder)", () => {
    const packed = JSON.parse(
      extractFile(path.join(appDir, 'resources', 'app.asar'), 'package.json').toString('utf8'),
    ) as Record<string, unknown>;
    expect(packed.productName).toBe(PRODUCT_NAME);
    expect(packed.desktopName).toBe('altar-viewer.desktop');
    expect(packed.main).toBe('dist/electron-main.mjs');
  });
});
