import { describe, expect, it } from 'vitest';
import { deepLinkForRun, parseDeepLink } from '../../shared/deep-link';
import { parseDesktopMessage, parseDroppedPaths } from '../../shared/desktop-messages';

describe('altar-viewer://run/SOURCE/ID deep links', () => {
  it('round-trip every run id, encoded', () => {
    for (const runId of ['7', 'myrun7', 'a/b c', '5f1e0c3a9b1e4d2f8c7a6b5e', 'ü?#%', '..x']) {
      const link = deepLinkForRun({ source: 'lab.v2', runId });
      expect(parseDeepLink(link)).toEqual({ source: 'lab.v2', runId });
    }
    expect(deepLinkForRun({ source: 'lab', runId: 'a/b' })).toBe('altar-viewer://run/lab/a%2Fb');
  });

  it('accept the scheme in any case, as the OS may hand it', () => {
    expect(parseDeepLink('Altar-Viewer://run/lab/7')).toEqual({ source: 'lab', runId: '7' });
  });

  it.each([
    'altar-viewer://run/lab',
    'altar-viewer://run/lab/7/extra',
    'altar-viewer://run/lab/7?x=1',
    'altar-viewer://run/lab/7#frag',
    'altar-viewer://run//7',
    'altar-viewer://run/lab/',
    'altar-viewer://user@run/lab/7',
    'altar-viewer://runs/lab/7',
    'altar-viewer:run/lab/7',
    'https://run/lab/7',
    'altar-viewer://run/la%2Fb/7',
    'altar-viewer://run/l%20b/7',
    'altar-viewer://run/lab/%E0%A4%A',
    'altar-viewer://run/lab/a%0Ab',
    'altar-viewer://run/lab/..',
    'altar-viewer://run/lab/a b',
    `altar-viewer://run/${'x'.repeat(65)}/7`,
    `altar-viewer://run/lab/${'x'.repeat(513)}`,
    `altar-viewer://run/lab/${'x'.repeat(3000)}`,
  ])('refuse %s', (link) => {
    expect(parseDeepLink(link)).toBeNull();
  });

  it('refuse what is not text', () => {
    expect(parseDeepLink(undefined)).toBeNull();
    expect(parseDeepLink({ toString: () => 'altar-viewer://run/lab/7' })).toBeNull();
  });
});

describe('desktop messages', () => {
  it('are exactly one of the known shapes', () => {
    expect(parseDesktopMessage({ kind: 'selectSource', source: 'lab' })).toEqual({
      kind: 'selectSource',
      source: 'lab',
    });
    expect(
      parseDesktopMessage({ kind: 'restoreScreen', screen: { source: null, route: '/runs' } }),
    ).toEqual({ kind: 'restoreScreen', screen: { source: null, route: '/runs' } });
    expect(parseDesktopMessage({ kind: 'selectSource', source: 'a b' })).toBeNull();
    expect(parseDesktopMessage({ kind: 'openRun', source: 'lab', runId: '' })).toBeNull();
    expect(parseDesktopMessage({ kind: 'navigate', url: 'https://x' })).toBeNull();
    expect(
      parseDesktopMessage({ kind: 'restoreScreen', screen: { source: null, route: '/\\evil' } }),
    ).toBeNull();
  });

  it('take dropped paths only as absolute paths, a bounded number', () => {
    expect(parseDroppedPaths(['/home/a/runs', 'C:\\runs', '\\\\server\\share\\runs'])).toEqual([
      '/home/a/runs',
      'C:\\runs',
      '\\\\server\\share\\runs',
    ]);
    expect(parseDroppedPaths([])).toBeNull();
    expect(parseDroppedPaths(['runs'])).toBeNull();
    expect(parseDroppedPaths(['/a\u0000b'])).toBeNull();
    expect(parseDroppedPaths('/home/a/runs')).toBeNull();
    expect(parseDroppedPaths(Array.from({ length: 33 }, (_, i) => `/r${i}`))).toBeNull();
  });
});
