import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IndexHtmlTransformHook, Plugin, UserConfig } from 'vite';
import { describe, expect, it } from 'vitest';
import { rendererContentSecurityPolicy } from '../../main/hosts/static-files';
import { rendererContentSecurityPolicy as sharedPolicy } from '../../shared/content-security-policy';
import viteConfig from '../../renderer/vite.config';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/u))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

const indexHtml = readFileSync(path.join(import.meta.dirname, '../../renderer/index.html'), 'utf8');

/** The meta tag the build writes into index.html, as the Vite plugin makes it. */
function builtMetaPolicy(): string {
  const plugins = ((viteConfig as UserConfig).plugins ?? []).flat() as Plugin[];
  const plugin = plugins.find((p) => p && p.name === 'altar-csp-meta');
  const hook = plugin?.transformIndexHtml as IndexHtmlTransformHook;
  const html = hook.call(undefined as never, indexHtml, undefined as never) as string;
  // Before the page's script, so the policy governs it.
  expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  return /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/u.exec(html)?.[1] ?? '';
}

describe('renderer CSP', () => {
  const policies = {
    'HTTP header': rendererContentSecurityPolicy(),
    'Electron header': rendererContentSecurityPolicy('altar-artifact:'),
    'built index.html meta': builtMetaPolicy(),
  };

  it.each(Object.entries(policies))(
    '%s runs only the app’s own scripts and workers',
    (_, policy) => {
      const csp = directives(policy);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      // pdf.js runs in a worker loaded from the build, never from blob: or data: URLs.
      expect(csp.get('worker-src')).toEqual(["'self'"]);
      expect(policy).not.toContain('unsafe-eval');
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'none'"]);
      expect(csp.get('form-action')).toEqual(["'none'"]);
    },
  );

  it('has one source: the page carries no hand-written policy, the build writes the shared one', () => {
    expect(indexHtml).not.toMatch(/http-equiv="Content-Security-Policy"/iu);
    expect(indexHtml).toMatch(/<!-- altar-csp:/u);
    expect(policies['built index.html meta']).toBe(
      sharedPolicy({ artifactSource: 'altar-artifact:', delivery: 'meta' }),
    );
  });

  // Each place the Electron page loads artifacts from their own scheme: images and media,
  // the PDF and CSV previews (fetch) and the HTML preview (an iframe). The page gets the
  // header and the meta tag and must pass both.
  it.each(['img-src', 'media-src', 'connect-src', 'frame-src'])(
    'lets the Electron page load artifacts in %s under both its header and its meta tag',
    (directive) => {
      for (const policy of [policies['Electron header'], policies['built index.html meta']]) {
        expect(directives(policy).get(directive)).toEqual(
          expect.arrayContaining(["'self'", 'altar-artifact:']),
        );
      }
      // The HTTP door serves artifacts from its own origin.
      expect(directives(policies['HTTP header']).get(directive)).toContain("'self'");
      expect(directives(policies['HTTP header']).get(directive)).not.toContain('altar-artifact:');
    },
  );

  it('forbids framing the app in the headers (a meta tag cannot)', () => {
    expect(directives(policies['HTTP header']).get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives(policies['Electron header']).get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives(policies['built index.html meta']).has('frame-ancestors')).toBe(false);
  });
});
