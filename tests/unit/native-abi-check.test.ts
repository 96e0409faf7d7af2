// build/check-native-abi.mjs is what stops `npm run dist` from shipping a better-sqlite3 built
// for Node.js (after the README's `npm rebuild better-sqlite3`), which the installed app could
// not load. Run as the command it is, on the Node-built binary the tests use.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'build/check-native-abi.mjs');
const require = createRequire(import.meta.url);
/** The addon this process loaded: under `npm run test:node22` a copy built for Node 22. */
function loadedAddon(): string {
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  new Database(':memory:').close();
  const addon = Object.keys(require.cache).find((file) => file.endsWith('better_sqlite3.node'));
  if (!addon) throw new Error('better-sqlite3 loaded no better_sqlite3.node');
  return addon;
}
const nodeBuilt = loadedAddon();
const electronVersion = (require('electron/package.json') as { version: string }).version;
const work = mkdtempSync(path.join(tmpdir(), 'altar-abi-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function check(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' });
}

describe('the native ABI check of npm run dist', () => {
  it('refuses the Node-built better-sqlite3: built for Node ABI X, Electron needs Y', () => {
    const electronAbi = execFileSync(
      process.execPath,
      ['-p', `require('node-abi').getAbi('${electronVersion}', 'electron')`],
      { cwd: root, encoding: 'utf8' },
    ).trim();
    const result = check(nodeBuilt);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `built for Node ABI ${process.versions.modules}, Electron ${electronVersion} needs ${electronAbi}`,
    );
  });

  it('passes a binary built for the Electron it is told', () => {
    const fake = path.join(work, 'electron-built.node');
    writeFileSync(fake, Buffer.from('\x7fELF....node_register_module_v136\0', 'latin1'));
    const result = check(fake, '37.0.0');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ABI 136 loads in Electron 37.0.0');
  });

  it('names any other ABI plainly and lets N-API addons through', () => {
    const other = path.join(work, 'other.node');
    writeFileSync(other, 'node_register_module_v108');
    expect(check(other, '37.0.0').stderr).toContain('built for ABI 108, Electron 37.0.0 needs 136');
    const napi = path.join(work, 'napi.node');
    writeFileSync(napi, 'napi_register_module_v1');
    expect(check(napi, '37.0.0').status).toBe(0);
  });
});
