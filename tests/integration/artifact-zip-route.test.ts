// The HTTP door's "download all" route: a zip of every artifact of a run, streamed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { createAltarCore } from '../../main/core/altar-core';
import type { CoreService } from '../../main/core/core-service';
import { parseRunZipPath } from '../../main/hosts/artifact-zip';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { makeWorkspace } from '../contract/doors';
import type { Workspace } from '../contract/doors';

let workspace: Workspace;
let core: CoreService;
let host: HttpHost;
const files: Record<string, Buffer> = {
  'plot.png': randomBytes(70_000),
  'notes.txt': Buffer.from('hello zip\n'),
  'data/metrics.json': Buffer.from('{"a": 1}'),
  // Bigger than one stream chunk, so the entry is written from several reads.
  'weights.bin': randomBytes(3 * 1024 * 1024 + 17),
};

function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function get(route: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${host.port}${route}`, {
    headers: { Authorization: `Bearer ${host.token}` },
  });
}

beforeAll(async () => {
  workspace = makeWorkspace();
  const runDir = path.join(workspace.runFolder, '42');
  mkdirSync(path.join(runDir, 'data'), { recursive: true });
  const runJson = JSON.parse(
    readFileSync(path.join(workspace.runFolder, 'myrun7', 'run.json'), 'utf8'),
  ) as Record<string, unknown>;
  // "gone.txt" is listed but was never written: the zip holds what exists.
  runJson.artifacts = [...Object.keys(files), 'gone.txt'];
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(runJson));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(runDir, name), bytes);
  core = createAltarCore({ dataDir: workspace.dataDir('zip'), door: 'http' });
  host = await startHttpHost(core, { rendererDir: workspace.rendererDir });
  await core.addFolderSource({ name: 'lab', path: workspace.runFolder });
  await core.syncSources({});
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  workspace?.remove();
});

describe('GET /artifacts-zip/<source>/<runId>', () => {
  it('sends every artifact of the run with its exact bytes', async () => {
    const response = await get('/artifacts-zip/lab/42');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const entries = await unzip(Buffer.from(await response.arrayBuffer()));
    expect([...entries.keys()].sort()).toEqual(Object.keys(files).sort());
    for (const [name, bytes] of Object.entries(files)) {
      expect(entries.get(name)?.equals(bytes), name).toBe(true);
    }
  });

  it('answers an empty zip for a run without artifacts', async () => {
    const response = await get('/artifacts-zip/lab/myrun7');
    expect(response.status).toBe(200);
    const entries = await unzip(Buffer.from(await response.arrayBuffer()));
    expect(entries.size).toBe(0);
  });

  it('answers 404 for an unknown run or source and a malformed path', async () => {
    expect((await get('/artifacts-zip/lab/999')).status).toBe(404);
    expect((await get('/artifacts-zip/nosuch/1')).status).toBe(404);
    expect((await get('/artifacts-zip/lab')).status).toBe(404);
    expect((await get('/artifacts-zip/lab/%E0%A4%A')).status).toBe(404);
  });

  it('refuses requests without the token', async () => {
    const response = await fetch(`http://127.0.0.1:${host.port}/artifacts-zip/lab/42`);
    expect(response.status).toBe(401);
  });
});

describe('parseRunZipPath', () => {
  it('decodes both parts and rejects anything else', () => {
    expect(parseRunZipPath('my%20lab/a%2Fb')).toEqual({ source: 'my lab', runId: 'a/b' });
    expect(parseRunZipPath('/lab/7')).toEqual({ source: 'lab', runId: '7' });
    expect(parseRunZipPath('lab')).toBeNull();
    expect(parseRunZipPath('lab/7/x')).toBeNull();
    expect(parseRunZipPath('lab/')).toBeNull();
  });
});
