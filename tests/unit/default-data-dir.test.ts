import { describe, expect, it } from 'vitest';
import { appDataDir, defaultDataDir } from '../../main/core/default-data-dir';

describe('defaultDataDir (Electron userData without Electron)', () => {
  it('uses XDG_CONFIG_HOME on Linux, else ~/.config', () => {
    expect(
      defaultDataDir({ env: { XDG_CONFIG_HOME: '/x/cfg' }, platform: 'linux', home: '/home/a' }),
    ).toBe('/x/cfg/Altar Viewer');
    expect(
      defaultDataDir({ env: { XDG_CONFIG_HOME: '' }, platform: 'linux', home: '/home/a' }),
    ).toBe('/home/a/.config/Altar Viewer');
  });

  it('uses Application Support on macOS', () => {
    expect(
      defaultDataDir({
        env: { XDG_CONFIG_HOME: '/ignored' },
        platform: 'darwin',
        home: '/Users/a',
      }),
    ).toBe('/Users/a/Library/Application Support/Altar Viewer');
  });

  it('uses %APPDATA% on Windows, else AppData\\Roaming', () => {
    expect(
      defaultDataDir({ env: { APPDATA: 'D:\\Roam' }, platform: 'win32', home: 'C:\\Users\\a' }),
    ).toBe('D:\\Roam\\Altar Viewer');
    expect(defaultDataDir({ env: {}, platform: 'win32', home: 'C:\\Users\\a' })).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\Altar Viewer',
    );
  });
});

describe('appDataDir (the folder the desktop app opens)', () => {
  it('is the CLI default on every platform when ALTAR_DATA_DIR is not set', () => {
    for (const [platform, home] of [
      ['linux', '/home/a'],
      ['darwin', '/Users/a'],
      ['win32', 'C:\\Users\\a'],
    ] as const) {
      const environment = { env: { ALTAR_DATA_DIR: '' }, platform, home };
      expect(appDataDir(environment)).toBe(defaultDataDir(environment));
      expect(appDataDir(environment)).toMatch(/Altar Viewer$/u);
    }
  });

  it('follows ALTAR_DATA_DIR like the CLI does', () => {
    expect(
      appDataDir({ env: { ALTAR_DATA_DIR: '/data/altar' }, platform: 'linux', home: '/home/a' }),
    ).toBe('/data/altar');
  });
});
