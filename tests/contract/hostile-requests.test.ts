// Issue 11: the attack corpus against the HTTP door. Every hostile request gets a quick,
// well-formed refusal (or a normal answer), never a 5xx, a hang, a stack trace or a file
// outside the UI; and a cruel filter from one client never holds up another client.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCookieName } from '../../shared/client-api';
import { decodeWire, encodeWire } from '../../shared/wire-codec';
import { createAltarCore } from '../../main/core/altar-core';
import type { CoreService } from '../../main/core/core-service';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { writeSyntheticRun } from '../integration/core-test-folder';
import {
  BACKTRACKING_BAIT,
  CATASTROPHIC_PATTERNS,
  hostileFilterTexts,
  notChain,
} from '../support/hostile-filters';
import { rawRequest, rawSocket, traversalPaths } from '../support/hostile-http';
import type { RawReply } from '../support/hostile-http';
import { makeWorkspace } from './doors';
import type { Workspace } from './doors';

let workspace: Workspace;
let core: CoreService;
let host: HttpHost;
let auth: Record<string, string>;

function api(method: string, args: unknown, headers: Record<string, string> = auth) {
  return rawRequest(host.port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: encodeWire(args),
  });
}

function errorCode(reply: RawReply): unknown {
  return (decodeWire(reply.body) as { error?: { code?: unknown } }).error?.code;
}

/** What no reply may ever carry. */
function expectNothingLeaked(reply: RawReply): void {
  expect(reply.body).not.toContain('TOP-SECRET');
  expect(reply.body).not.toContain('root:x:');
  expect(reply.body).not.toMatch(/\bat .*\.[jt]s:\d+/u);
  expect(reply.body).not.toMatch(/call stack/iu);
  expect(reply.body).not.toContain(host.token);
}

beforeAll(async () => {
  workspace = makeWorkspace();
  // Runs whose texts make JavaScript's RegExp backtrack for hours on the catastrophic patterns.
  const baitFolder = path.join(workspace.root, 'bait-runs');
  for (let i = 1; i <= 14; i++) {
    const dir = writeSyntheticRun(baitFolder, String(i), { points: 3 });
    const runFile = path.join(dir, 'run.json');
    const run = JSON.parse(readFileSync(runFile, 'utf8')) as { experiment: { name: string } };
    run.experiment.name = `${BACKTRACKING_BAIT}${i}`;
    writeFileSync(runFile, JSON.stringify(run));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ note: BACKTRACKING_BAIT }));
  }
  core = createAltarCore({ dataDir: workspace.dataDir('hostile'), door: 'http' });
  host = await startHttpHost(core, { rendererDir: workspace.rendererDir });
  auth = { Authorization: `Bearer ${host.token}` };
  expect((await api('addFolderSource', { name: 'c', path: workspace.runFolder })).status).toBe(200);
  expect((await api('addFolderSource', { name: 'bait', path: baitFolder })).status).toBe(200);
  expect((await api('syncSources', {})).status).toBe(200);
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  workspace?.remove();
});

describe('hostile tokens', () => {
  const cases: Array<[string, () => Record<string, string>, string]> = [
    ['no token', () => ({}), '/api/listSources'],
    [
      'a wrong bearer',
      () => ({ Authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      '/api/listSources',
    ],
    [
      'the token minus a character',
      () => ({ Authorization: `Bearer ${host.token.slice(1)}` }),
      '/api/listSources',
    ],
    [
      'the token plus a character',
      () => ({ Authorization: `Bearer ${host.token}x` }),
      '/api/listSources',
    ],
    [
      'the token in upper case',
      () => ({ Authorization: `Bearer ${host.token.toUpperCase()}` }),
      '/api/listSources',
    ],
    ['an empty bearer', () => ({ Authorization: 'Bearer ' }), '/api/listSources'],
    [
      'basic auth with the token',
      () => ({ Authorization: `Basic ${Buffer.from(`x:${host.token}`).toString('base64')}` }),
      '/api/listSources',
    ],
    [
      'a 64 KB bearer',
      () => ({ Authorization: `Bearer ${'A'.repeat(60_000)}` }),
      '/api/listSources',
    ],
    [
      'the cookie of another port',
      () => ({ Cookie: `${tokenCookieName(host.port + 1)}=${host.token}` }),
      '/api/listSources',
    ],
    [
      'a cookie named like a prefix',
      () => ({ Cookie: `${tokenCookieName(host.port)}x=${host.token}` }),
      '/api/listSources',
    ],
    [
      'a thousand wrong cookies',
      () => ({
        Cookie: Array.from(
          { length: 1000 },
          (_, i) => `${tokenCookieName(host.port)}=wrong${i}`,
        ).join('; '),
      }),
      '/api/listSources',
    ],
    ['a token in another query key', () => ({}), `/api/listSources?t0ken=${'x'.repeat(20)}`],
    [
      'a token given twice, first wrong',
      () => ({}),
      '/api/listSources?token=wrong-wrong-wrong-wrong&token=also-wrong-wrong',
    ],
    ['no token on the events stream', () => ({}), '/events'],
    ['no token on the zip route', () => ({}), '/artifacts-zip/c/1'],
    ['no token on raw data', () => ({}), '/raw-data/local/c/1/x'],
  ];
  it.each(cases)('refuses %s with 401', async (_name, headers, target) => {
    const method = target.startsWith('/api/') ? 'POST' : 'GET';
    const reply = await rawRequest(host.port, {
      method,
      path: target,
      headers: { 'Content-Type': 'application/json', ...headers() },
      body: method === 'POST' ? '{}' : undefined,
    });
    // 431: Node refuses headers over its size limit before any handler sees them.
    expect([401, 431]).toContain(reply.status);
    if (reply.status === 401) expect(errorCode(reply)).toBe('UNAUTHORIZED');
    expectNothingLeaked(reply);
  });
});

describe('hostile Host and Origin headers', () => {
  const hosts = (): string[] => [
    'evil.example',
    `evil.example:${host.port}`,
    `127.0.0.1.evil.example:${host.port}`,
    `127.0.0.1:${host.port}.evil.example`,
    `127.0.0.1:${host.port}@evil.example`,
    `0.0.0.0:${host.port}`,
    `127.0.0.2:${host.port}`,
    `[::ffff:127.0.0.1]:${host.port}`,
    `2130706433:${host.port}`,
    `127.1:${host.port}`,
    `localhost.:${host.port}`,
    `127.0.0.1:0${host.port}`,
  ];
  it('refuses every foreign Host, even with the token (DNS rebinding)', async () => {
    for (const badHost of hosts()) {
      const reply = await rawRequest(host.port, {
        path: '/api/listSources',
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', Host: badHost },
        body: '{}',
      });
      expect([400, 403], badHost).toContain(reply.status);
      expectNothingLeaked(reply);
    }
  });

  it('refuses a request with an empty or no Host, even with the token', async () => {
    const call = (hostLine: string): string =>
      `POST /api/listSources HTTP/1.1\r\n${hostLine}Authorization: Bearer ${host.token}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}';
    for (const hostLine of ['Host: \r\n', '', 'Host: evil.example\r\nHost: x\r\n']) {
      const status = await rawSocket(host.port, call(hostLine));
      expect([400, 403], hostLine).toContain(status);
    }
    expect(await rawSocket(host.port, call(`Host: 127.0.0.1:${host.port}\r\n`))).toBe(200);
  });

  const origins = (): string[] => [
    'null',
    'http://evil.example',
    `http://127.0.0.1:${host.port}.evil.example`,
    `http://127.0.0.1:${host.port + 1}`,
    `https://127.0.0.1:${host.port}`,
    `http://127.0.0.1:${host.port}/`,
    `file://`,
    `chrome-extension://abcdef`,
    `http://127.0.0.1:${host.port}, http://evil.example`,
  ];
  it('refuses every foreign Origin, even with the token', async () => {
    for (const origin of origins()) {
      const reply = await api('listSources', {}, { ...auth, Origin: origin });
      expect(reply.status, origin).toBe(403);
      expect(errorCode(reply)).toBe('FORBIDDEN');
    }
  });
});

describe('traversal', () => {
  it.each(traversalPaths())('does not serve %s', async (target) => {
    const reply = await rawRequest(host.port, { path: target, headers: auth });
    expect([400, 403, 404], target).toContain(reply.status);
    expectNothingLeaked(reply);
  });
});

describe('hostile bodies', () => {
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    rawRequest(host.port, {
      method: 'POST',
      path: '/api/queryRuns',
      headers: { ...auth, 'Content-Type': 'application/json', ...headers },
      body,
    });

  it('refuses a body over 1 MB, declared or streamed', async () => {
    const big = JSON.stringify({ where: `experiment = "${'x'.repeat(1_100_000)}"` });
    expect((await post(big)).status).toBe(413);
    const chunked = await post(Buffer.from(big), { 'Transfer-Encoding': 'chunked' });
    expect(chunked.status).toBe(413);
  });

  it.each([
    ['empty', ''],
    ['not JSON', '{"where": '],
    ['a bare string', '"where"'],
    ['an array', '[1,2,3]'],
    ['a number', '1e999'],
    ['a BOM', '\ufeff{}'],
    ['unknown keys', '{"limit": 1, "evil": true}'],
    ['__proto__', '{"__proto__": {"polluted": true}, "limit": 1}'],
    ['constructor', '{"constructor": {"prototype": {"polluted": true}}}'],
    ['a wrong type', '{"limit": "ten"}'],
    ['a negative offset', '{"offset": -1}'],
    ['a huge limit', '{"limit": 1e300}'],
    ['a float64 tag', '{"where": {"$f64": "AAAA"}}'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['100,000 nested arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['100,000 nested objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    [
      'a filter tree 100,000 deep',
      `{"where":${'{"type":"not","item":'.repeat(100_000)}{"type":"exists","path":["status"]}${'}'.repeat(100_001)}`,
    ],
  ])('answers 4xx to %s', async (_name, body) => {
    const reply = await post(body);
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expectNothingLeaked(reply);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a filter tree 240 deep, which the contract lets through, with a refusal', async () => {
    // Too deep for the query engine, not for the contract's shape: the core's answer, a
    // result (200) carrying the error, as for any filter a user could type.
    const reply = await post(encodeWire({ where: notChain(240) }));
    expect(reply.status).toBe(200);
    expect(errorCode(reply)).toBe('INVALID_ARGUMENT');
    expectNothingLeaked(reply);
  });

  it('refuses a view whose layout nests 100,000 deep, and keeps no such view', async () => {
    // Written by hand: JSON.stringify itself cannot go this deep.
    const reply = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/saveView',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body:
        '{"name":"deep","columns":[],"filter":"","sort":[],"sources":null,"layout":{"widths":' +
        `${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
    });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('INVALID_ARGUMENT');
    const views = decodeWire((await api('listViews', {})).body) as { result: { name: string }[] };
    expect(views.result.map((view) => view.name)).not.toContain('deep');
  });

  it('survives broken request lines and still answers afterwards', async () => {
    for (const bytes of [
      'GET /\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n',
      'POST /api/listSources HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      'GARBAGE\0\0\0\r\n\r\n',
      `GET / HTTP/1.1\r\n${'X-A: b\r\n'.repeat(5000)}\r\n`,
    ]) {
      const status = await rawSocket(host.port, bytes);
      expect(
        status === 0 || (status >= 400 && status < 500),
        JSON.stringify(bytes.slice(0, 40)),
      ).toBe(true);
    }
    expect((await api('getAppInfo', {})).status).toBe(200);
  });
});

describe('hostile filters through the HTTP door', () => {
  it.each(hostileFilterTexts().map((entry) => [entry.name, entry] as const))(
    '%s',
    async (_name, entry) => {
      const reply = await api('queryRuns', { where: entry.text, limit: 5 });
      if (entry.outcome === 'usage') {
        // Refused by the core, an answer to what was typed (200, error in the envelope); or,
        // past the contract's size limits, by the door (400).
        expect([200, 400]).toContain(reply.status);
        expect(errorCode(reply)).toBe('INVALID_ARGUMENT');
      } else {
        expect(reply.status).toBe(200);
        expect(errorCode(reply)).toBeUndefined();
      }
      expectNothingLeaked(reply);
    },
  );

  it.each(CATASTROPHIC_PATTERNS)('%s over texts that make RegExp backtrack', async (pattern) => {
    for (const where of [
      { type: 'matches', path: ['experiment'], pattern, flags: '' },
      { type: 'matches', path: ['config', 'note'], pattern, flags: 'i' },
      { type: 'matches', path: ['text'], pattern, flags: 's' },
    ]) {
      const reply = await api('queryRuns', { where, sources: ['bait'] });
      expect(reply.status).toBe(200);
    }
    const distinct = await api('distinctValues', {
      column: 'experiment',
      where: `experiment ~ /${pattern.replace(/\//gu, '\\/')}/`,
    });
    expect(distinct.status).toBe(200);
  });

  it('answers another client while a cruel regex query is in flight', async () => {
    // The issue's reproducer: 18.8 s on 14 runs with JavaScript's RegExp, every other request
    // waiting; the bait here is longer, so that engine would not finish within the test.
    const cruel = api('queryRuns', { where: 'experiment ~ /(.*.*.*.*)*!/', sources: ['bait'] });
    const other = api('getAppInfo', {});
    const [cruelReply, otherReply] = await Promise.all([cruel, other]);
    expect(otherReply.status).toBe(200);
    expect(cruelReply.status).toBe(200);
    expect((decodeWire(cruelReply.body) as { result: { total: number } }).result.total).toBe(0);
    const matching = await api('queryRuns', {
      where: 'experiment ~ /^a+1\\d?$/',
      sources: ['bait'],
    });
    // Every name is the bait (48 a's, a NUL) and a number: none is only a's and digits.
    expect((decodeWire(matching.body) as { result: { total: number } }).result.total).toBe(0);
    const all = await api('queryRuns', {
      where: 'experiment ~ /^a{48}\\x00\\d+$/',
      sources: ['bait'],
    });
    expect((decodeWire(all.body) as { result: { total: number } }).result.total).toBe(14);
  });
});
