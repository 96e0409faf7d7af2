import { describe, expect, it } from 'vitest';
import { isArtifactDownloadUrl, isExternalWebUrl } from '../../main/electron/app-url';
import {
  createExternalLinkPrompt,
  SHOWN_URL_CHARS,
  shownUrl,
} from '../../main/electron/external-link-prompt';
import { decideNavigation, decideWindowOpen } from '../../main/electron/navigation-policy';

describe('external links', () => {
  it('opens a link only when the user says yes', async () => {
    const opened: string[] = [];
    const asked: string[] = [];
    let answer = false;
    const prompt = createExternalLinkPrompt({
      confirm: async (url) => {
        asked.push(url);
        return answer;
      },
      open: async (url) => {
        opened.push(url);
      },
    });
    await prompt('https://example.org/a');
    answer = true;
    await prompt('https://example.org/b');
    expect(asked).toEqual(['https://example.org/a', 'https://example.org/b']);
    expect(opened).toEqual(['https://example.org/b']);
  });

  it('asks one question at a time: a page firing links in a loop gets one dialog', async () => {
    let release: (yes: boolean) => void = () => undefined;
    const asked: string[] = [];
    const prompt = createExternalLinkPrompt({
      confirm: (url) => {
        asked.push(url);
        return new Promise((resolve) => (release = resolve));
      },
      open: async () => undefined,
    });
    const first = prompt('https://example.org/1');
    for (let i = 2; i < 200; i++) void prompt(`https://example.org/${i}`);
    release(false);
    await first;
    expect(asked).toEqual(['https://example.org/1']);
  });

  it('never asks about URLs that are not plain web links', async () => {
    const asked: string[] = [];
    const prompt = createExternalLinkPrompt({
      confirm: async (url) => {
        asked.push(url);
        return true;
      },
      open: async () => undefined,
    });
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://github.com@evil.example/',
      'https://user:pw@example.org/',
    ]) {
      await prompt(url);
    }
    expect(asked).toEqual([]);
    expect(isExternalWebUrl('https://github.com@evil.example/')).toBe(false);
  });

  it('cuts a very long URL in the dialog', () => {
    const long = `https://example.org/${'a'.repeat(2000)}`;
    expect(shownUrl(long)).toHaveLength(SHOWN_URL_CHARS + 1);
    expect(shownUrl('https://example.org/')).toBe('https://example.org/');
  });
});

describe('navigation decisions', () => {
  it.each([
    ['altar-app://ui/index.html', true, 'allow'],
    ['altar-app://evil/index.html', true, 'deny'],
    ['altar-artifact://a/x', true, 'deny'],
    ['altar-artifact://a/x?download=1', true, 'download'],
    ['altar-artifact://zip/lab/1', true, 'download'],
    ['https://example.org/', true, 'external'],
    ['altar-artifact://a/x', false, 'allow'],
    ['about:srcdoc', false, 'allow'],
    ['altar-app://ui/index.html', false, 'deny'],
    ['https://example.org/', false, 'external'],
    ['data:text/html,<p>x', false, 'deny'],
  ] as const)('%s (top frame: %s) -> %s', (url, isMainFrame, decision) => {
    expect(decideNavigation(url, isMainFrame)).toBe(decision);
  });

  it('never opens a second window', () => {
    expect(decideWindowOpen('altar-app://ui/index.html')).toBe('deny');
    expect(decideWindowOpen('altar-artifact://a/x')).toBe('download');
    expect(decideWindowOpen('https://example.org/')).toBe('external');
    expect(isArtifactDownloadUrl('altar-artifact://ZIP/lab/1')).toBe(true);
  });
});
