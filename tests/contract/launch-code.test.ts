// Issue 11 item 7: the browser that `serve` starts is handed a one-time code, not the token
// (a command line is readable by every local user). The code buys the token cookie once,
// within a minute; the printed URL with the token keeps working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCookieName } from '../../shared/client-api';
import { decodeWire } from '../../shared/wire-codec';
import { createAltarCore } from '../../main/core/altar-core';
import type { CoreService } from '../../main/core/core-service';
import { LAUNCH_CODE_TTL_MS, startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { rawRequest } from '../support/hostile-http';
import { makeWorkspace } from './doors';
import type { Workspace } from './doors';

let workspace: Workspace;
let core: CoreService;
let host: HttpHost;
let clock = 1_000_000;

beforeAll(async () => {
  workspace = makeWorkspace();
  core = createAltarCore({ dataDir: workspace.dataDir('launch'), door: 'http' });
  host = await startHttpHost(core, { rendererDir: workspace.rendererDir, now: () => clock });
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  workspace?.remove();
});

const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

function cookieOf(reply: { headers: { 'set-cookie'?: string[] } }): string | null {
  return reply.headers['set-cookie']?.[0]?.split(';')[0] ?? null;
}

async function listSourcesWith(cookie: string): Promise<number> {
  const reply = await rawRequest(host.port, {
    method: 'POST',
    path: '/api/listSources',
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: '{}',
  });
  return reply.status;
}

describe('launch URL with a one-time code', () => {
  it('carries a loopback address and a code, never the token', () => {
    const url = host.launchUrl();
    expect(url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?code=[\\w-]{43}$`, 'u'),
    );
    expect(url).not.toContain(host.token);
    expect(host.launchUrl()).not.toBe(url);
  });

  it('trades the code for the token cookie once, then sends the page to its clean address', async () => {
    const url = host.launchUrl();
    const first = await rawRequest(host.port, { path: pathOf(url) });
    expect(first.status).toBe(200);
    expect(cookieOf(first)).toBe(`${tokenCookieName(host.port)}=${host.token}`);
    expect(first.headers['set-cookie']?.[0]).toContain('HttpOnly; SameSite=Strict');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toContain('<meta http-equiv="refresh" content="0;url=/">');
    expect(first.body).not.toContain('code=');
    expect(await listSourcesWith(cookieOf(first)!)).toBe(200);

    const again = await rawRequest(host.port, { path: pathOf(url) });
    expect(again.status).toBe(401);
    expect(cookieOf(again)).toBeNull();
    expect((decodeWire(again.body) as { error: { message: string } }).error.message).toMatch(
      /expired or was already used/u,
    );
  });

  it('keeps other query parameters through the refresh', async () => {
    const url = `${host.launchUrl()}&run=7`;
    const reply = await rawRequest(host.port, { path: pathOf(url) });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('content="0;url=/?run=7"');
  });

  it('signs in on a screen address and reloads that screen', async () => {
    const url = new URL(host.launchUrl());
    url.pathname = '/runs/lab/7/metrics';
    const reply = await rawRequest(host.port, { path: pathOf(url.href) });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('content="0;url=/runs/lab/7/metrics"');
  });

  it('refuses a code after its minute', async () => {
    const url = host.launchUrl();
    clock += LAUNCH_CODE_TTL_MS + 1;
    const late = await rawRequest(host.port, { path: pathOf(url) });
    expect(late.status).toBe(401);
    expect(cookieOf(late)).toBeNull();
  });

  it.each([
    ['an invented code', '/?code=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['an empty code', '/?code='],
    ['the token as a code', () => `/?code=${host.token}`],
  ])('refuses %s', async (_name, target) => {
    const reply = await rawRequest(host.port, {
      path: typeof target === 'string' ? target : target(),
    });
    expect(reply.status).toBe(401);
    expect(cookieOf(reply)).toBeNull();
  });

  it('is no key to the API or the assets, only to the page', async () => {
    const code = new URL(host.launchUrl()).searchParams.get('code')!;
    const call = await rawRequest(host.port, {
      method: 'POST',
      path: `/api/listSources?code=${code}`,
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(call.status).toBe(401);
    expect((await rawRequest(host.port, { path: `/assets/app.js?code=${code}` })).status).toBe(401);
    // Still unused: the page takes it.
    expect((await rawRequest(host.port, { path: `/?code=${code}` })).status).toBe(200);
  });

  it('lets a browser that already holds the cookie reopen a spent link', async () => {
    const url = host.launchUrl();
    const cookie = cookieOf(await rawRequest(host.port, { path: pathOf(url) }))!;
    const reopened = await rawRequest(host.port, {
      path: pathOf(url),
      headers: { Cookie: cookie },
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toContain('url=/"');
  });

  it('leaves the printed URL with the token working', async () => {
    const reply = await rawRequest(host.port, { path: pathOf(host.url) });
    expect(reply.status).toBe(302);
    expect(cookieOf(reply)).toBe(`${tokenCookieName(host.port)}=${host.token}`);
  });
});
