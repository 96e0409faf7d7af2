import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../main/core/default-data-dir';

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
