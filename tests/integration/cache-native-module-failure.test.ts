// A packaged app whose better-sqlite3 was built for the wrong ABI (or a cache another process
// holds) must stop with a clear message and leave the user's cache file where it is: only
// SQLite's own "corrupt" / "not a database" may move a cache aside (issue 12 item 2).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import { AltarError } from '../../shared/errors';
import { copySample, tempDir } from './core-test-folder';

/**
 * What the stand-in better-sqlite3 throws from its next `times` constructions; with no error
 * (or no times left) it is the real module.
 */
const failure = vi.hoisted(() => ({ error: null as Error | null, times: Infinity }));

vi.mock('better-sqlite3', async (importOriginal) => {
  const real = (await importOriginal()) as { default: new (...args: unknown[]) => unknown };
  function Database(...args: unknown[]): unknown {
    if (failure.error !== null && failure.times > 0) {
      failure.times -= 1;
      throw failure.error;
    }
    return new real.default(...args);
  }
  return { default: Database };
});

/** The error Node.js gives when a native module was compiled for another runtime. */
function abiMismatch(): Error {
  const error = new Error(
    "The module '/opt/Altar Viewer/resources/app.asar.unpacked/node_modules/better-sqlite3/" +
      "build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\n" +
      'NODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140. ' +
      'Please try re-compiling or re-installing\nthe module.',
  );
  Object.assign(error, { code: 'ERR_DLOPEN_FAILED' });
  return error;
}

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('a cache that cannot be opened for reasons other than corruption', () => {
  let dataDir: string;
  let work: string;
  let cacheBytes: Buffer;

  beforeEach(async () => {
    failure.error = null;
    failure.times = Infinity;
    dataDir = tempDir('native-fail');
    work = tempDir('native-fail-runs');
    // A real cache with a source in it: what the user would lose.
    const core = createAltarCore({ dataDir, door: 'direct' });
    await core.addFolderSource({
      name: 'lab',
      path: copySample('filestorage_completed', work),
    });
    await core.close();
    cacheBytes = readFileSync(join(dataDir, 'cache.sqlite'));
  });

  afterEach(() => {
    failure.error = null;
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  function expectCacheUntouched(): void {
    expect(readdirSync(dataDir).filter((name) => name.includes('.corrupt-'))).toEqual([]);
    expect(readFileSync(join(dataDir, 'cache.sqlite')).equals(cacheBytes)).toBe(true);
  }

  it('says the SQLite module was built for another runtime, and moves nothing', async () => {
    failure.error = abiMismatch();
    let thrown: unknown;
    try {
      createAltarCore({ dataDir, door: 'electron' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AltarError);
    const message = (thrown as AltarError).message;
    expect(message).toMatch(/better-sqlite3\) could not be loaded/u);
    expect(message).toContain('left untouched');
    expect(message).toContain('NODE_MODULE_VERSION 115');
    expectCacheUntouched();

    // After the fix (the right build), everything is still there.
    failure.error = null;
    const core = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect(core.cacheRecoveredFrom).toBeNull();
      expect((await core.listSources({})).map((source) => source.name)).toEqual(['lab']);
    } finally {
      await core.close();
    }
  });

  it.each([
    ['a missing build', new Error('Could not locate the bindings file. Tried: ...')],
    ['another process holding the cache', sqliteError('SQLITE_BUSY', 'database is locked')],
    ['no permission', sqliteError('SQLITE_CANTOPEN', 'unable to open database file')],
    ['a disk error', sqliteError('SQLITE_IOERR_READ', 'disk I/O error')],
  ])('stops with a clear error on %s, and moves nothing', (_label, error) => {
    failure.error = error;
    expect(() => createAltarCore({ dataDir, door: 'direct' })).toThrow(/left untouched/u);
    expectCacheUntouched();
  });

  it('still moves aside a cache SQLite itself calls corrupt', async () => {
    // The check fails as SQLite would; the fresh cache is then made by the real module.
    failure.error = sqliteError('SQLITE_CORRUPT', 'database disk image is malformed');
    failure.times = 1;
    const core = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect(core.cacheRecoveredFrom).toMatch(/cache\.sqlite\.corrupt-/u);
      expect(readFileSync(core.cacheRecoveredFrom!).equals(cacheBytes)).toBe(true);
    } finally {
      await core.close();
    }
  });
});
