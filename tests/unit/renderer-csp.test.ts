import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererContentSecurityPolicy } from '../../main/hosts/static-files';

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
const metaPolicy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/u.exec(indexHtml)?.[1];

describe('renderer CSP', () => {
  const policies = {
    'HTTP header': rendererContentSecurityPolicy(),
    'Electron header': rendererContentSecurityPolicy('altar-artifact:'),
    'index.html meta': metaPolicy ?? '',
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
    },
  );

  it('lets the Electron page fetch artifacts from their scheme, for the PDF and CSV previews', () => {
    expect(directives(policies['Electron header']).get('connect-src')).toEqual([
      "'self'",
      'altar-artifact:',
    ]);
    expect(directives(policies['index.html meta']).get('connect-src')).toContain('altar-artifact:');
    expect(directives(policies['HTTP header']).get('connect-src')).toEqual(["'self'"]);
  });
});
