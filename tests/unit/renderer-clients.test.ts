import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElectronClient } from '../../renderer/src/api/electron-client';
import type { AltarBridge } from '../../renderer/src/api/electron-client';
import { createHttpClient } from '../../renderer/src/api/http-client';
import { capturedOutputToHtml } from '../../renderer/src/model/ansi-html';
import { AltarError } from '../../shared/errors';
import { encodeWire } from '../../shared/wire-codec';

afterEach(() => {
  vi.unstubAllGlobals();
});

function stubFetch(reply: { status?: number; body: string }) {
  const fetchMock = vi.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(reply.body, { status: reply.status ?? 200 }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('HTTP client', () => {
  it('posts wire-encoded arguments with the session cookie and decodes typed arrays', async () => {
    const values = new Float64Array([1, NaN, 3]);
    const fetchMock = stubFetch({
      body: encodeWire({
        ok: true,
        result: {
          name: 'loss',
          steps: values,
          values,
          timestamps: values,
          totalPoints: 3,
          downsampled: false,
        },
      }),
    });
    const api = createHttpClient();
    const series = await api.getMetric({ source: 'lab', id: '1', name: 'loss', maxPoints: 100 });
    expect(series.values).toBeInstanceOf(Float64Array);
    expect(Number.isNaN(series.values[1])).toBe(true);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/getMetric');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(JSON.parse(String(init?.body))).toEqual({
      source: 'lab',
      id: '1',
      name: 'loss',
      maxPoints: 100,
    });
  });

  it('throws the server error as an AltarError with its code and message', async () => {
    stubFetch({
      status: 404,
      body: JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'no run 9' } }),
    });
    const error = await createHttpClient()
      .getRun({ source: 'lab', id: '9' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AltarError);
    expect((error as AltarError).code).toBe('NOT_FOUND');
    expect((error as AltarError).message).toBe('no run 9');
  });

  it('explains a rejected session instead of failing on a non-JSON reply', async () => {
    stubFetch({ status: 401, body: 'Unauthorized' });
    await expect(createHttpClient().listSources({})).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('reports an unreachable server', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(createHttpClient().listSources({})).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
    });
  });

  it('builds artifact URLs on the HTTP routes', () => {
    const api = createHttpClient();
    expect(api.door).toBe('http');
    expect(api.artifactUrl('a/b')).toBe('/artifacts/a%2Fb');
    expect(api.artifactUrl('x1', { download: true })).toBe('/artifacts/x1?download=1');
  });
});

describe('Electron client', () => {
  function bridge(reply: unknown, listeners: Map<string, (payload: unknown) => void>): AltarBridge {
    const call = vi.fn(async () => reply);
    return new Proxy({} as AltarBridge, {
      get(_target, prop) {
        if (prop === 'on') {
          return (event: string, listener: (payload: unknown) => void) => {
            listeners.set(event, listener);
            return () => listeners.delete(event);
          };
        }
        return call;
      },
    });
  }

  it('unwraps envelopes from the preload bridge', async () => {
    const api = createElectronClient(bridge({ ok: true, result: [] }, new Map()));
    await expect(api.listSources({})).resolves.toEqual([]);
    const failing = createElectronClient(
      bridge(
        { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'name: must not be empty' } },
        new Map(),
      ),
    );
    await expect(failing.addFolderSource({ name: '', path: '/x' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'name: must not be empty',
    });
  });

  it('rejects replies that are not envelopes', async () => {
    const api = createElectronClient(bridge(undefined, new Map()));
    await expect(api.listSources({})).rejects.toBeInstanceOf(AltarError);
  });

  it('forwards events and unsubscribes', () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const api = createElectronClient(bridge(null, listeners));
    const seen: unknown[] = [];
    const off = api.on('sourcesChanged', (payload) => seen.push(payload));
    listeners.get('sourcesChanged')?.({});
    expect(seen).toEqual([{}]);
    off();
    expect(listeners.has('sourcesChanged')).toBe(false);
    expect(api.artifactUrl('7', { download: true })).toBe('altar-artifact://a/7?download=1');
  });
});

describe('captured output HTML', () => {
  it('escapes markup in the output and keeps colours', () => {
    const html = capturedOutputToHtml('<script>alert(1)</script>\n\x1b[31mred\x1b[0m');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toMatch(/<span style="color:#[0-9A-Fa-f]+">red<\/span>/u);
  });

  it('collapses progress redraws before converting', () => {
    expect(capturedOutputToHtml('10%\r100%\n')).toBe('100%\n');
  });
});
