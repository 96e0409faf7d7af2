import { describe, expect, it } from 'vitest';
import { cliArgumentsOf } from '../../main/electron/cli-invocation';
import { desktopArgumentsOf } from '../../main/electron/desktop-arguments';

describe('what the desktop app is handed on its command line', () => {
  it('opens a folder given as a path, relative to where it was started, not the CLI', () => {
    const argv = ['/usr/bin/altar-viewer', 'experiments/runs'];
    expect(cliArgumentsOf(argv, false)).toBeNull();
    expect(desktopArgumentsOf(argv, false, '/home/ada')).toEqual({
      paths: ['/home/ada/experiments/runs'],
      links: [],
    });
  });

  it('takes deep links apart from paths and skips the switches Chromium and the OS add', () => {
    const argv = [
      'C:\\Program Files\\Altar Viewer\\Altar Viewer.exe',
      '--allow-file-access-from-files',
      '--original-process-start-time=13370000000',
      'altar-viewer://run/lab/7',
      '-psn_0_12345',
      '/data/runs',
    ];
    expect(desktopArgumentsOf(argv, false, '/')).toEqual({
      paths: ['/data/runs'],
      links: ['altar-viewer://run/lab/7'],
    });
  });

  it('skips the script path of a development run, and ignores other URLs', () => {
    const argv = ['/x/electron', 'dist/electron-main.mjs', 'https://evil.example/', 'file:///etc'];
    expect(desktopArgumentsOf(argv, true, '/repo')).toEqual({ paths: [], links: [] });
  });

  it('takes at most 16 folders, whatever a launcher passes', () => {
    const argv = ['/usr/bin/altar-viewer', ...Array.from({ length: 40 }, (_, i) => `/r/${i}`)];
    expect(desktopArgumentsOf(argv, false, '/').paths).toHaveLength(16);
  });
});
