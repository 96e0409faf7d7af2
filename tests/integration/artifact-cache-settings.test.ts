// Settings: defaults, partial updates, validation with INVALID_ARGUMENT, and persistence in
// the cache file across a restart of the core.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { DEFAULT_SETTINGS } from '../../shared/contract';
import { rejection, removeTempDirs, tempDir } from './artifact-cache-support';

const MIB = 1024 * 1024;

afterAll(() => removeTempDirs());

describe('settings', () => {
  it('start at the defaults: a 2 GiB artifact cache, sync every 5 minutes, refresh every 5 s', async () => {
    const core = createAltarCore({ dataDir: tempDir('settings'), door: 'direct' });
    try {
      expect(await core.getSettings({})).toEqual({
        artifactCacheBytes: 2147483648,
        backgroundSyncMinutes: 5,
        liveRefreshSeconds: 5,
        // Linux without a keyring: passwords stay in memory unless the user opts in.
        rememberPasswordsOnWeakKeystore: false,
      });
      expect(DEFAULT_SETTINGS.artifactCacheBytes).toBe(2147483648);
      expect((await core.getArtifactCacheInfo({})).capBytes).toBe(2147483648);
    } finally {
      await core.close();
    }
  });

  it('change only the given keys and persist across a restart of the core', async () => {
    const dataDir = tempDir('settings');
    const first = createAltarCore({ dataDir, door: 'direct' });
    try {
      const updated = await first.updateSettings({ artifactCacheBytes: 100 * MIB });
      expect(updated).toEqual({ ...DEFAULT_SETTINGS, artifactCacheBytes: 100 * MIB });
      const again = await first.updateSettings({
        backgroundSyncMinutes: 0,
        liveRefreshSeconds: 30,
        rememberPasswordsOnWeakKeystore: false,
      });
      expect(again).toEqual({
        artifactCacheBytes: 100 * MIB,
        backgroundSyncMinutes: 0,
        liveRefreshSeconds: 30,
        rememberPasswordsOnWeakKeystore: false,
      });
      expect(await first.updateSettings({})).toEqual(again);
    } finally {
      await first.close();
    }
    const second = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect(await second.getSettings({})).toEqual({
        artifactCacheBytes: 100 * MIB,
        backgroundSyncMinutes: 0,
        liveRefreshSeconds: 30,
        rememberPasswordsOnWeakKeystore: false,
      });
      expect((await second.getArtifactCacheInfo({})).capBytes).toBe(100 * MIB);
    } finally {
      await second.close();
    }
  });

  it('refuse bad values with INVALID_ARGUMENT and keep the stored ones', async () => {
    const core = createAltarCore({ dataDir: tempDir('settings'), door: 'direct' });
    try {
      await core.updateSettings({ liveRefreshSeconds: 10 });
      const bad: unknown[] = [
        { artifactCacheBytes: 64 * MIB - 1 },
        { artifactCacheBytes: 0 },
        { artifactCacheBytes: 1.5 * 1024 * MIB + 0.5 },
        { artifactCacheBytes: '2GB' },
        { backgroundSyncMinutes: -1 },
        { backgroundSyncMinutes: 24 * 60 + 1 },
        { liveRefreshSeconds: 0 },
        { liveRefreshSeconds: 2.5 },
        { liveRefreshSeconds: null },
        { colour: 'blue' },
      ];
      for (const args of bad) {
        const error = await rejection(core.updateSettings(args as never));
        expect(error.code, JSON.stringify(args)).toBe('INVALID_ARGUMENT');
        expect(error.message).toMatch(/^updateSettings: /u);
      }
      const tooSmall = await rejection(core.updateSettings({ artifactCacheBytes: MIB }));
      expect(tooSmall.message).toContain('artifactCacheBytes: must be at least 64 MiB');
      expect(await core.getSettings({})).toEqual({ ...DEFAULT_SETTINGS, liveRefreshSeconds: 10 });
      expect((await rejection(core.getSettings({ extra: 1 } as never))).code).toBe(
        'INVALID_ARGUMENT',
      );
      // The smallest and largest accepted values.
      await core.updateSettings({ artifactCacheBytes: 64 * MIB, backgroundSyncMinutes: 1440 });
      expect(await core.getSettings({})).toMatchObject({
        artifactCacheBytes: 64 * MIB,
        backgroundSyncMinutes: 1440,
      });
    } finally {
      await core.close();
    }
  });

  it('fall back to the default, key by key, when a stored value is damaged', async () => {
    const dataDir = tempDir('settings');
    const first = createAltarCore({ dataDir, door: 'direct' });
    await first.updateSettings({ liveRefreshSeconds: 20, backgroundSyncMinutes: 7 });
    await first.close();
    const store = CacheStore.open(join(dataDir, 'cache.sqlite'));
    const put = store.database.prepare('UPDATE settings SET value = ? WHERE key = ?');
    put.run('not json', 'liveRefreshSeconds');
    put.run('"seven"', 'backgroundSyncMinutes');
    store.close();
    const second = createAltarCore({ dataDir, door: 'direct' });
    try {
      expect(await second.getSettings({})).toEqual(DEFAULT_SETTINGS);
    } finally {
      await second.close();
    }
  });
});
