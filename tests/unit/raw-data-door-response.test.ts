// What both doors do with a raw data address: the Electron protocol builds its Response with
// webStreamResponse (tested here, no Electron needed), the HTTP host streams the same way.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStream } from '../../main/core/core-service';
import { resolveRawData } from '../../main/hosts/resolve-raw-data';
import { webStreamResponse } from '../../main/hosts/web-stream-response';
import { parseRawDataPath, rawDataPath } from '../../shared/client-api';
import type { RawDataRef } from '../../shared/client-api';
import { AltarError } from '../../shared/errors';

let dir: string;
let file: ArtifactStream;
const content = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-raw-door-'));
  const path = join(dir, 'trace.csv');
  writeFileSync(path, content);
  file = {
    name: 'trace.csv',
    size: content.length,
    contentType: 'text/csv',
    open: (range) => createReadStream(path, range ?? {}),
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rawDataPath', () => {
  it('round-trips names with slashes, percent signs and accents', () => {
    const ref: RawDataRef = { kind: 'local', source: 'lab-1', id: 'run/7 %x', stem: 'vidéo/a?b' };
    const path = rawDataPath(ref);
    expect(path.split('/')).toHaveLength(4);
    expect(parseRawDataPath(path)).toEqual(ref);
    expect(parseRawDataPath(`/${path}`)).toEqual(ref);
  });

  it('rejects what is not a raw data address', () => {
    expect(parseRawDataPath('minio/lab/1')).toBeNull();
    expect(parseRawDataPath('s3/lab/1/video')).toBeNull();
    expect(parseRawDataPath('minio/lab/1/video/extra')).toBeNull();
    expect(parseRawDataPath('minio/lab//video')).toBeNull();
    expect(parseRawDataPath('minio/lab/%E0%A4%A/video')).toBeNull();
  });
});

describe('resolveRawData', () => {
  const ref = rawDataPath({ kind: 'minio', source: 'lab', id: '3', stem: 'video' });

  it('answers 404 for a malformed address, an unknown entry, or a core without raw data', async () => {
    const core = { openRawData: async () => null };
    expect(await resolveRawData(core, 'nonsense')).toMatchObject({ ok: false, status: 404 });
    expect(await resolveRawData(core, ref)).toMatchObject({ ok: false, status: 404 });
    expect(await resolveRawData({}, ref)).toMatchObject({ ok: false, status: 404 });
  });

  it("keeps the core's error code and message", async () => {
    const refused = await resolveRawData(
      {
        openRawData: async () => {
          throw new AltarError('AUTH_FAILED', 'The storage server refused the credentials.');
        },
      },
      ref,
    );
    expect(refused).toEqual({
      ok: false,
      status: 422,
      payload: { code: 'AUTH_FAILED', message: 'The storage server refused the credentials.' },
    });
  });

  it('passes the decoded ref to the core', async () => {
    let asked: RawDataRef | null = null;
    const resolved = await resolveRawData(
      {
        openRawData: async (r) => {
          asked = r;
          return file;
        },
      },
      ref,
    );
    expect(resolved.ok).toBe(true);
    expect(asked).toEqual({ kind: 'minio', source: 'lab', id: '3', stem: 'video' });
  });
});

describe('webStreamResponse', () => {
  const request = (headers: Record<string, string> = {}, method = 'GET') => ({
    method,
    headers: new Headers(headers),
  });

  it('streams the whole file with the sandboxing headers', async () => {
    const response = webStreamResponse(request(), file, false, { 'X-Extra': '1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(response.headers.get('content-disposition')).toMatch(/^inline;/u);
    expect(response.headers.get('x-extra')).toBe('1');
    expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
  });

  it('answers one range with 206, HEAD without a body, and 416 past the end', async () => {
    const part = webStreamResponse(request({ Range: 'bytes=10-15' }), file, true);
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-15/${content.length}`);
    expect(part.headers.get('content-disposition')).toMatch(/^attachment;/u);
    expect(await part.text()).toBe('abcdef');
    const head = webStreamResponse(request({}, 'HEAD'), file, false);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(content.length));
    expect(head.body).toBeNull();
    const past = webStreamResponse(request({ Range: 'bytes=999-' }), file, false);
    expect(past.status).toBe(416);
  });
});
