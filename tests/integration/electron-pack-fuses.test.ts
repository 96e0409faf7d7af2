// Packs the app with electron-builder itself (`--dir`, Linux) around a stand-in Electron
// binary that carries only Electron's fuse wire, since no Electron can be downloaded here. It
// proves what a unit check of electron-builder.yml cannot: that electron-builder flips the
// fuses in the binary it ships, and that the packaged package.json names the app so that
// Electron's userData is the CLI's data folder; that app.asar holds what the main process and
// the CLI import at run time and nothing the renderer bundle already contains; and that the
// afterPack ABI check refuses the Node-built better-sqlite3 the tests use.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { extractFile, listPackage } from '@electron/asar';
import { Arch, build, Platform } from 'electron-builder';
import type { AfterPackContext } from 'electron-builder';
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

/** Bundled into dist/renderer by Vite: as node_modules they are dead weight (pdfjs-dist 40 MB). */
const RENDERER_ONLY = [
  'pdfjs-dist',
  '@napi-rs/canvas',
  'react',
  'react-dom',
  'highlight.js',
  'plotly.js-basic-dist-min',
  '@tanstack/react-table',
  '@tanstack/react-virtual',
  'ansi-to-html',
  'diff',
  'react-json-view-lite',
];

const builderConfig = (
  createRequire(import.meta.url)('js-yaml') as { load: (text: string) => unknown }
).load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { files: string[] };

let work: string;
let appDir: string;
/** What the afterPack ABI check said about the packed native modules ('' when it passed). */
let abiCheck = '';

/** Bare package names a bundle in dist/ imports (esbuild leaves packages external). */
function importedPackages(bundle: string): string[] {
  const text = readFileSync(path.join(root, 'dist', bundle), 'utf8');
  const specifiers = [
    ...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"\n]+)";$/gm),
    ...text.matchAll(/\bimport\(\s*"([^"\n]+)"\s*\)/g),
  ].map((m) => m[1]!);
  const names = specifiers
    .filter((s) => /^(@[\w.-]+\/)?[\w.-]+(\/.*)?$/.test(s) && !s.startsWith('.'))
    .map((s) =>
      s
        .split('/')
        .slice(0, s.startsWith('@') ? 2 : 1)
        .join('/'),
    );
  return [...new Set(names)].filter((name) => !name.startsWith('node:') && name !== 'electron');
}

function sizeOf(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(target).reduce((sum, entry) => sum + sizeOf(path.join(target, entry)), 0);
}

function fuseWire(binary: Buffer): Record<string, boolean> {
  const at = binary.indexOf(SENTINEL) + SENTINEL.length;
  expect(binary[at]).toBe(1);
  const wire = binary.subarray(at + 2, at + 2 + binary[at + 1]!).toString('latin1');
  return Object.fromEntries(FUSES.map((name, i) => [name, wire[i] === '1']));
}

beforeAll(async () => {
  // The packed file list is the real one, so the bundles must exist (esbuild: seconds).
  if (!existsSync(path.join(root, 'dist', 'cli.mjs'))) {
    execFileSync(process.execPath, [path.join(root, 'build', 'build-main.mjs')], { cwd: root });
  }
  const hook = (await import(
    pathToFileURL(path.join(root, 'build/check-native-abi.mjs')).href
  )) as {
    default: (context: AfterPackContext) => Promise<void>;
  };
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
      // Offline: no native rebuild, so better-sqlite3 stays built for Node, which the ABI
      // check (run here, its verdict kept instead of failing the build) must refuse.
      npmRebuild: false,
      afterPack: async (context: AfterPackContext) => {
        await hook.default(context).catch((error: unknown) => {
          abiCheck = error instanceof Error ? error.message : String(error);
        });
      },
      // electron-builder.yml's list without dist/renderer (Vite's output, which a concurrent
      // `npm run build` may be replacing; it is not node_modules, which is what is checked here).
      files: [...builderConfig.files, '!dist/renderer/**'],
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

describe('the packed app.asar', () => {
  const asar = () => path.join(appDir, 'resources', 'app.asar');
  const packed = () => new Set(listPackage(asar(), { isPack: false }).map((f) => f.slice(1)));

  it("unpacks better-sqlite3's native module, where Electron can load it", () => {
    const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked');
    expect(
      existsSync(
        path.join(unpacked, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
      ),
    ).toBe(true);
    console.log(
      `app.asar ${(sizeOf(asar()) / 1e6).toFixed(1)} MB, ` +
        `app.asar.unpacked ${(sizeOf(unpacked) / 1e6).toFixed(1)} MB`,
    );
  });

  it('holds every package the main process and the CLI import at run time', () => {
    const files = packed();
    const needed = [
      ...new Set([
        ...importedPackages('electron-main.mjs'),
        ...importedPackages('cli.mjs'),
        // The CLI's commands and core are chunks it imports when a command runs.
        ...readdirSync(path.join(root, 'dist', 'cli-chunks'))
          .filter((name) => name.endsWith('.mjs'))
          .flatMap((name) => importedPackages(path.join('cli-chunks', name))),
      ]),
    ];
    expect(needed).toContain('better-sqlite3');
    const missing = needed.filter((name) => !files.has(`node_modules/${name}/package.json`));
    expect(missing).toEqual([]);
    expect(files.has('dist/electron-main.mjs') && files.has('dist/cli.mjs')).toBe(true);
    expect([...files].some((f) => f.startsWith('dist/cli-chunks/'))).toBe(true);
  });

  it('holds none of the packages the renderer bundle already contains', () => {
    const files = [...packed()];
    const shipped = RENDERER_ONLY.filter((name) =>
      files.some((f) => f.startsWith(`node_modules/${name}/`)),
    );
    expect(shipped).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/') && f.endsWith('.map'))).toEqual([]);
  });

  it('is refused by the ABI check while better-sqlite3 is built for Node', () => {
    expect(abiCheck).toMatch(/built for (Node )?ABI \d+, Electron 45\.5\.0 needs \d+/u);
    // node_modules is built for the machine's Node; `npm run test:node22` runs this on another.
    if (process.env.ALTAR_NODE22_ABI === undefined) {
      expect(abiCheck).toContain(`built for Node ABI ${process.versions.modules}, Electron 45.5.0`);
    }
  });
});
