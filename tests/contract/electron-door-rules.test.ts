// The Electron door's decisions that do not need Electron to check: which page may call the
// API or stay in the window, and the source name given to a folder opened from the menu.
import { describe, expect, it } from 'vitest';
import { SourceNameSchema } from '../../shared/contract';
import { isAppUrl, isArtifactDownloadUrl, isExternalWebUrl } from '../../main/electron/app-url';
import { uniqueSourceName } from '../../main/electron/unique-source-name';

describe('which pages count as the app', () => {
  it.each(['altar-app://ui/index.html', 'altar-app://ui/', 'altar-app://UI/index.html?x=1#run'])(
    '%s is the app',
    (url) => {
      expect(isAppUrl(url)).toBe(true);
    },
  );

  it.each([
    'altar-app://evil/index.html',
    'altar-app://ui.evil/index.html',
    'altar-artifact://a/abc',
    'file:///work/dist/renderer/index.html',
    'http://127.0.0.1:3000/',
    'https://ui/',
    'about:blank',
    'not a url',
    '',
  ])('%s is not', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it('lets only artifact download links navigate away from the app', () => {
    expect(isArtifactDownloadUrl('altar-artifact://a/abc?download=1')).toBe(true);
    expect(isArtifactDownloadUrl('altar-artifact://a/abc')).toBe(false);
    expect(isArtifactDownloadUrl('https://example.com/?download=1')).toBe(false);
  });

  it('hands only web links to the OS browser', () => {
    expect(isExternalWebUrl('https://github.com/IDSIA/sacred')).toBe(true);
    expect(isExternalWebUrl('http://example.com')).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'smb://server/share',
      'javascript:alert(1)',
      'ms-settings:',
      'vscode://x',
    ]) {
      expect(isExternalWebUrl(url)).toBe(false);
    }
  });
});

describe('source name for an opened folder', () => {
  it('uses the folder name when it is free', () => {
    expect(uniqueSourceName('my_runs', [])).toBe('my_runs');
  });

  it('numbers a name that is taken', () => {
    expect(uniqueSourceName('runs', ['runs'])).toBe('runs-2');
    expect(uniqueSourceName('runs', ['runs', 'runs-2'])).toBe('runs-3');
  });

  it.each(['Experiment Runs (2024)', 'résultats', '...', '', 'x'.repeat(200), 'a/b'])(
    'makes %j a valid source name',
    (basename) => {
      const name = uniqueSourceName(basename, []);
      expect(SourceNameSchema.safeParse(name).success).toBe(true);
      expect(SourceNameSchema.safeParse(uniqueSourceName(basename, [name])).success).toBe(true);
    },
  );
});
