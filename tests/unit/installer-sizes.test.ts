// build/installer-sizes.mjs writes the installer sizes into the packaging workflow's summary and
// the draft release's notes; it runs only on GitHub, so it is checked here on stand-in files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'build/installer-sizes.mjs');
const work = mkdtempSync(path.join(tmpdir(), 'altar-installer-sizes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function folder(name: string, files: Record<string, number>): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) {
    writeFileSync(path.join(dir, file), Buffer.alloc(bytes));
  }
  return dir;
}

function sizes(...dirs: string[]) {
  return spawnSync(process.execPath, [script, ...dirs], { encoding: 'utf8' });
}

describe('the installer size table of the packaging workflow', () => {
  it('lists every installer of every platform with its size, and nothing else', () => {
    const linux = folder('linux', {
      'Altar Viewer-0.1.0.AppImage': 2_345_678,
      'altar-viewer_0.1.0_amd64.deb': 1_049_999,
      'latest-linux.yml': 300,
    });
    const mac = folder('mac', {
      'Altar Viewer-0.1.0-arm64.dmg': 3_000_000,
      'Altar Viewer-0.1.0.dmg': 3_150_001,
      'Altar Viewer-0.1.0.dmg.blockmap': 5_000,
    });
    const windows = folder('windows', { 'Altar Viewer Setup 0.1.0.exe': 999_949 });
    const result = sizes(linux, mac, windows);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      '| Installer | Platform | Size |',
      '| --- | --- | --- |',
      '| Altar Viewer-0.1.0.AppImage | Linux (AppImage) | 2.3 MB |',
      '| altar-viewer_0.1.0_amd64.deb | Linux (deb) | 1.0 MB |',
      '| Altar Viewer-0.1.0.dmg | macOS | 3.2 MB |',
      '| Altar Viewer-0.1.0-arm64.dmg | macOS arm64 | 3.0 MB |',
      '| Altar Viewer Setup 0.1.0.exe | Windows | 1.0 MB |',
    ]);
  });

  it('fails when a folder holds no installer, so the summary never shows an empty table', () => {
    const result = sizes(folder('empty', { 'builder-debug.yml': 10 }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no installer');
    expect(result.stdout).toBe('');
  });
});
