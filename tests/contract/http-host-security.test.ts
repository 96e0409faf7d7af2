// What the HTTP door adds over the others: only this user's browser tab, holding the token,
// may talk to it; nothing outside the built UI is served; artifacts cannot script the app.
import http from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCookieName } from '../../shared/client-api';
import { methods } from '../../shared/contract';
import { decodeWire, encodeWire } from '../../shared/wire-codec';
import { createAltarCore } from '../../main/core/altar-core';
import type { CoreService } from '../../main/core/core-service';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { rawRequest } from '../support/hostile-http';
import type { RawReply } from '../support/hostile-http';
import { makeWorkspace } from './doors';
import type { Workspace } from './doors';

/** node:http rather than fetch: fetch forbids setting Host and normalizes "..". */
const raw = rawRequest;

let workspace: Workspace;
let core: CoreService;
let host: HttpHost;
let auth: Record<string, string>;
let artifactId: string;

async function api(
  method: string,
  args: unknown,
  headers: Record<string, string> = auth,
): Promise<RawReply> {
  return raw(host.port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: encodeWire(args),
  });
}

beforeAll(async () => {
  workspace = makeWorkspace();
  core = createAltarCore({ dataDir: workspace.dataDir('http'), door: 'http' });
  host = await startHttpHost(core, { rendererDir: workspace.rendererDir });
  auth = { Authorization: `Bearer ${host.token}` };
  expect((await api('addFolderSource', { name: 'c', path: workspace.runFolder })).status).toBe(200);
  expect((await api('syncSources', {})).status).toBe(200);
  const run = decodeWire((await api('getRun', { source: 'c', id: '1' })).body) as {
    ok: true;
    result: unknown;
  };
  artifactId = methods.getRun.result.parse(run.result).artifacts[0]!.id;
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  workspace?.remove();
});

function envelopeError(reply: RawReply): unknown {
  return (decodeWire(reply.body) as { error?: unknown }).error;
}

describe('exports through the HTTP door', () => {
  it('refuses writing to a path the page chose, and still returns the text', async () => {
    const target = path.join(workspace.root, 'written-by-the-page.csv');
    const refused = await api('exportMetrics', {
      metrics: ['train.loss'],
      layout: 'steps-as-rows',
      path: target,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('only available from the CLI');
    expect(existsSync(target)).toBe(false);

    const text = await api('exportRuns', { format: 'csv' });
    expect(text.status).toBe(200);
  });
});

describe('HTTP host: access token', () => {
  it('prints a loopback URL carrying a 32-byte random token', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
    const other = await startHttpHost(core, { rendererDir: workspace.rendererDir });
    try {
      expect(other.token).not.toBe(host.token);
    } finally {
      await other.close();
    }
  });

  it.each(['/', '/assets/app.js', '/events', `/artifacts/placeholder`])(
    'refuses GET %s without a token',
    async (p) => {
      const reply = await raw(host.port, { path: p });
      expect(reply.status).toBe(401);
      expect(envelopeError(reply)).toMatchObject({ code: 'UNAUTHORIZED' });
    },
  );

  it('refuses an API call without a token', async () => {
    const reply = await api('getAppInfo', {}, {});
    expect(reply.status).toBe(401);
    expect(envelopeError(reply)).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it.each([
    ['bearer', { Authorization: 'Bearer wrong-token-wrong-token-wrong' }, '/api/getAppInfo'],
    ['cookie', { Cookie: 'PORT_COOKIE=wrong-token-wrong-token' }, '/api/getAppInfo'],
    ['query', {}, '/api/getAppInfo?token=wrong-token-wrong-token'],
  ])('refuses a wrong token given as %s', async (_how, headers, p) => {
    const reply = await raw(host.port, {
      method: 'POST',
      path: p,
      headers: {
        'Content-Type': 'application/json',
        ...Object.fromEntries(
          Object.entries(headers).map(([k, v]) => [
            k,
            v.replace('PORT_COOKIE', tokenCookieName(host.port)),
          ]),
        ),
      },
      body: '{}',
    });
    expect(reply.status).toBe(401);
  });

  it('refuses a token that is only a prefix of the right one', async () => {
    const reply = await api(
      'getAppInfo',
      {},
      { Authorization: `Bearer ${host.token.slice(0, -1)}` },
    );
    expect(reply.status).toBe(401);
  });

  it('turns ?token into an HttpOnly SameSite cookie and drops it from the address bar', async () => {
    const first = await raw(host.port, { path: `/?token=${host.token}&run=7` });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/?run=7');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toBe(
      `${tokenCookieName(host.port)}=${host.token}; HttpOnly; SameSite=Strict; Path=/`,
    );

    const page = await raw(host.port, {
      path: '/?run=7',
      headers: { Cookie: cookie.split(';')[0]! },
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Altar test UI');

    const call = await api(
      'getAppInfo',
      {},
      { Cookie: cookie.split(';')[0]!, Origin: `http://127.0.0.1:${host.port}` },
    );
    expect(call.status).toBe(200);
  });
});

describe('HTTP host: Host and Origin checks', () => {
  it.each(['evil.example', `evil.example:${String(0)}`, 'attacker.test:80'])(
    'refuses Host %s even with the token (DNS rebinding)',
    async (badHost) => {
      const reply = await raw(host.port, {
        path: '/assets/app.js',
        headers: { ...auth, Host: badHost },
      });
      expect(reply.status).toBe(403);
      expect(envelopeError(reply)).toMatchObject({ code: 'FORBIDDEN' });
    },
  );

  it('refuses the right name on another port', async () => {
    const reply = await raw(host.port, {
      path: '/',
      headers: { ...auth, Host: `127.0.0.1:${host.port + 1}` },
    });
    expect(reply.status).toBe(403);
  });

  it('accepts localhost as the Host', async () => {
    const reply = await raw(host.port, {
      path: '/assets/app.js',
      headers: { ...auth, Host: `localhost:${host.port}` },
    });
    expect(reply.status).toBe(200);
  });

  it.each(['http://evil.example', 'null', `http://127.0.0.1:${String(1)}`, 'https://127.0.0.1'])(
    'refuses Origin %s',
    async (origin) => {
      const reply = await api('listSources', {}, { ...auth, Origin: origin });
      expect(reply.status).toBe(403);
      expect(envelopeError(reply)).toMatchObject({ code: 'FORBIDDEN' });
    },
  );

  it('accepts its own origin', async () => {
    const reply = await api(
      'listSources',
      {},
      { ...auth, Origin: `http://localhost:${host.port}` },
    );
    expect(reply.status).toBe(200);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])(
    'will not listen on %s',
    async (bad) => {
      await expect(
        startHttpHost(core, { host: bad, rendererDir: workspace.rendererDir }),
      ).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('ssh'),
      });
    },
  );

  it('binds 127.0.0.1 when asked for localhost', async () => {
    const local = await startHttpHost(core, {
      host: 'localhost',
      rendererDir: workspace.rendererDir,
    });
    try {
      expect(local.url.startsWith(`http://127.0.0.1:${local.port}/`)).toBe(true);
    } finally {
      await local.close();
    }
  });
});

describe('HTTP host: API route', () => {
  it('only accepts POST', async () => {
    const reply = await raw(host.port, { path: '/api/getAppInfo', headers: auth });
    expect(reply.status).toBe(405);
  });

  it('only accepts application/json (no form posts)', async () => {
    const reply = await raw(host.port, {
      method: 'POST',
      path: '/api/getAppInfo',
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(reply.status).toBe(415);
  });

  it('answers INVALID_ARGUMENT to a body that is not JSON', async () => {
    const reply = await raw(host.port, {
      method: 'POST',
      path: '/api/getAppInfo',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{"oops"',
    });
    expect(reply.status).toBe(400);
    expect(envelopeError(reply)).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses a body over 1 MB', async () => {
    const reply = await api('getSourceFile', { source: 'c', id: '1', name: 'x'.repeat(1_100_000) });
    expect(reply.status).toBe(413);
  });

  it('never puts a stack trace in an error', async () => {
    const reply = await api('getRun', { source: 'c', id: 'nope' });
    // A run that is not there is an answer (200, error in the envelope), not a fault.
    expect(reply.status).toBe(200);
    expect(envelopeError(reply)).toMatchObject({ code: 'NOT_FOUND' });
    expect(reply.body).not.toMatch(/\bat .*\.ts:\d+/u);
  });
});

describe('HTTP host: static files', () => {
  it('serves index.html with the CSP and the framing and referrer headers', async () => {
    const reply = await raw(host.port, { path: '/', headers: auth });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = reply.headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // The PDF preview's worker comes from the app itself; nothing may evaluate strings.
    expect(csp).toContain("worker-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|worker-src[^;]*blob:/u);
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their MIME type', async () => {
    const reply = await raw(host.port, { path: '/assets/app.js', headers: auth });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(reply.body).toBe('console.log("app");');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/../package.json',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  ])('does not serve %s', async (p) => {
    const reply = await raw(host.port, { path: p, headers: auth });
    expect([403, 404]).toContain(reply.status);
    expect(reply.body).not.toContain('TOP-SECRET');
    expect(reply.body).not.toContain('"name": "altar-viewer"');
    expect(reply.body).not.toContain('root:x:');
  });

  it('answers 404 for a missing asset', async () => {
    expect((await raw(host.port, { path: '/assets/missing.js', headers: auth })).status).toBe(404);
  });

  it.each(['/runs', '/runs/c/1', '/runs/c/a%2Fb/metrics', '/plot?run=c/1', '/compare?run=c/1'])(
    'serves the page at the screen address %s (a copied link opens)',
    async (p) => {
      const reply = await raw(host.port, { path: p, headers: auth });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.body).toContain('Altar test UI');
    },
  );

  it.each([
    '/runs/c',
    '/runs/c/1/nope',
    '/plot/x',
    '/nothing-here',
    '/runs/..%2f..%2fsecret.txt/1',
  ])('answers 404 for %s, which names no screen and no file', async (p) => {
    const reply = await raw(host.port, { path: p, headers: auth });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('TOP-SECRET');
  });

  it('never redirects a token to another host ("//runs" is not a screen)', async () => {
    const reply = await raw(host.port, { path: `//runs?token=${host.token}` });
    expect(reply.headers.location).toBeUndefined();
  });

  it('drops ?token from a screen address and keeps the screen', async () => {
    const first = await raw(host.port, { path: `/runs/c/1/output?token=${host.token}&x=1` });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/runs/c/1/output?x=1');
  });

  it('says how to build the UI when it is not built', async () => {
    const emptyDir = path.join(workspace.root, 'empty-renderer');
    mkdirSync(emptyDir);
    const bare = await startHttpHost(core, { rendererDir: emptyDir });
    try {
      const reply = await raw(bare.port, {
        path: '/',
        headers: { Authorization: `Bearer ${bare.token}` },
      });
      expect(reply.headers['content-type']).toContain('text/html');
      expect(reply.body).toContain('UI not built: run <code>npm run build</code>');
    } finally {
      await bare.close();
    }
  });
});

describe('HTTP host: artifacts', () => {
  it('serves an artifact inline, sandboxed and unsniffable', async () => {
    const reply = await raw(host.port, { path: `/artifacts/${artifactId}`, headers: auth });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('weights');
    expect(reply.headers['content-length']).toBe('7');
    expect(reply.headers['content-type']).toMatch(/^text\/plain/u);
    expect(reply.headers['content-security-policy']).toBe('sandbox');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['accept-ranges']).toBe('bytes');
    expect(reply.headers['content-disposition']).toMatch(
      /^inline; .*filename\*=UTF-8''model\.txt$/u,
    );
  });

  it('offers it as a download with ?download=1', async () => {
    const reply = await raw(host.port, {
      path: `/artifacts/${artifactId}?download=1`,
      headers: auth,
    });
    expect(reply.headers['content-disposition']).toMatch(/^attachment; /u);
  });

  it.each([
    ['bytes=1-3', 'eig', 'bytes 1-3/7'],
    ['bytes=5-', 'ts', 'bytes 5-6/7'],
    ['bytes=-2', 'ts', 'bytes 5-6/7'],
    ['bytes=4-100', 'hts', 'bytes 4-6/7'],
  ])('answers Range %s with 206', async (range, body, contentRange) => {
    const reply = await raw(host.port, {
      path: `/artifacts/${artifactId}`,
      headers: { ...auth, Range: range },
    });
    expect(reply.status).toBe(206);
    expect(reply.body).toBe(body);
    expect(reply.headers['content-range']).toBe(contentRange);
    expect(reply.headers['content-length']).toBe(String(body.length));
  });

  it('answers 416 to a range past the end', async () => {
    const reply = await raw(host.port, {
      path: `/artifacts/${artifactId}`,
      headers: { ...auth, Range: 'bytes=7-' },
    });
    expect(reply.status).toBe(416);
    expect(reply.headers['content-range']).toBe('bytes */7');
  });

  it('answers NOT_FOUND to an unknown id', async () => {
    const reply = await raw(host.port, { path: '/artifacts/0123456789abcdef', headers: auth });
    expect(reply.status).toBe(404);
    expect(envelopeError(reply)).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('HTTP host: events', () => {
  it('streams core events as server-sent events, and close() ends the stream', async () => {
    const stream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: host.port, path: '/events', headers: auth }, resolve)
        .on('error', reject);
    });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    stream.setEncoding('utf8');
    let text = '';
    const firstEvent = new Promise<void>((resolve) => {
      stream.on('data', (chunk: string) => {
        text += chunk;
        if (/event: syncProgress\ndata: .*"phase":"done".*\n\n/u.test(text)) resolve();
      });
    });
    const ended = new Promise<void>((resolve) => stream.on('close', resolve));

    expect((await api('syncSources', { names: ['c'] })).status).toBe(200);
    await firstEvent;
    const block = /event: syncProgress\ndata: (.*"phase":"done".*)\n\n/u.exec(text)![1]!;
    expect(JSON.parse(block)).toMatchObject({ source: 'c', phase: 'done' });
    // The folder brought no run, so the window is told to reload its sources, not its rows.
    expect(text).toContain('event: sourcesChanged\ndata: {"runsUnchanged":true}\n\n');

    const closing = await startHttpHost(core, { rendererDir: workspace.rendererDir });
    const second = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http
        .get(
          {
            host: '127.0.0.1',
            port: closing.port,
            path: '/events',
            headers: { Authorization: `Bearer ${closing.token}` },
          },
          resolve,
        )
        .on('error', reject);
    });
    const secondEnded = new Promise<void>((resolve) => second.on('close', resolve));
    second.resume();
    await closing.close();
    await secondEnded;

    stream.destroy();
    await ended;
  });
});
