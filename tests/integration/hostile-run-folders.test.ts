// Issue 11: hostile run folders through the core and the HTTP door. What a run names is read
// only inside its source folder or a trusted folder; FIFOs and devices never stall a sync or
// other requests; every run folder is listed; messages name what is wrong.
import { openSync, closeSync, constants, readdirSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { rawDataPath } from '../../shared/client-api';
import type { RunDetail, SyncSummary } from '../../shared/contract';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { buildHostileWorld, casesOf, hostileCases } from '../support/hostile-run-folders';
import type { HostileWorld } from '../support/hostile-run-folders';
import { tempDir, writeSyntheticRun } from './core-test-folder';

let world: HostileWorld;
let core: AltarCore;
let host: HttpHost;
const SOURCE = 'hostile';

/** Lets any reader stuck in open() of a FIFO go (only matters before the fix). */
function releaseFifos(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: false })) {
    const path = join(dir, String(entry));
    try {
      if (!lstatSync(path).isFIFO()) continue;
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waiting: nothing to release.
    }
  }
}

async function get(route: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${host.port}${route}`, {
    headers: { Authorization: `Bearer ${host.token}` },
  });
}

function unzipNames(bytes: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function run(id: string): Promise<RunDetail> {
  return core.getRun({ source: SOURCE, id });
}

let firstSync: SyncSummary | undefined;

// Tests run in a random order: the one sync they all look at happens here. FIFOs are released
// every few seconds, so that before the fix this failed by timeout rather than hanging.
beforeAll(async () => {
  world = buildHostileWorld();
  core = createAltarCore({ dataDir: join(world.root, 'data'), door: 'http' });
  host = await startHttpHost(core, { rendererDir: join(world.root, 'no-ui') });
  await core.addFolderSource({ name: SOURCE, path: world.folder });
  const timer = setInterval(() => releaseFifos(world.folder), 5_000);
  try {
    [firstSync] = await core.syncSources({ names: [SOURCE] });
  } finally {
    clearInterval(timer);
  }
}, 60_000);

afterAll(async () => {
  if (world !== undefined) releaseFifos(world.folder);
  await host?.close();
  await core?.close();
  world?.remove();
});

describe('a sync of a folder of hostile runs', () => {
  it('finishes and lists every run folder, readable or with its reason', async () => {
    expect(firstSync?.added).toBe(hostileCases.length);
    const page = await core.listRuns({ source: SOURCE });
    expect(page.runs.map((r) => r.id).sort()).toEqual(hostileCases.map((c) => c.id).sort());
    const sources = await core.listSources({});
    expect(sources.find((s) => s.name === SOURCE)?.state).toBe('idle');
  });
});

describe('reading outside the run (items 1-3)', () => {
  it('lists and opens every outside-read run', async () => {
    for (const hostile of casesOf('outside-read')) {
      const detail = await run(hostile.id);
      if (hostile.id !== 'linked-run-dir') expect(detail.unreadable, hostile.id).toBeNull();
      expect(JSON.stringify(detail), hostile.id).not.toContain(world.secret);
      const output = await core.getCapturedOutput({ source: SOURCE, id: hostile.id });
      expect(output.text, hostile.id).not.toContain(world.secret);
      const follow = await core.getCapturedOutput({ source: SOURCE, id: hostile.id, fromByte: 0 });
      expect(follow.text, hostile.id).not.toContain(world.secret);
    }
  });

  it('reads no run file that links outside: cout.txt, config.json, a linked run directory', async () => {
    expect((await run('cout-link-outside')).warnings.join('\n')).toMatch(
      /cout\.txt points to .*secret\.txt, outside the folders/u,
    );
    const config = await run('config-link-outside');
    expect(config.config).toEqual({});
    expect(config.warnings.join('\n')).toMatch(/config\.json points to .*creds\.json/u);
    expect((await run('linked-run-dir')).unreadable).toMatch(
      /run\.json points to .*elsewhere-run.*outside the folders.*--trust/u,
    );
  });

  it('refuses an artifact that links outside, on the core and the HTTP door, saying how to trust', async () => {
    for (const id of ['art-link-file', 'art-link-etc', 'art-under-linked-dir']) {
      const detail = await run(id);
      const artifact = detail.artifacts[0];
      expect(artifact, id).toBeDefined();
      expect(detail.warnings.join('\n'), id).toMatch(/points to .*outside the folders/u);
      await expect(core.openArtifact(artifact?.id ?? '')).rejects.toThrow(
        /outside the folders this source may read.*--trust/u,
      );
      const response = await get(`/artifacts/${encodeURIComponent(artifact?.id ?? '')}`);
      const body = await response.text();
      expect(response.status, id).toBe(403);
      expect(body).toContain('--trust');
      expect(body).not.toContain(world.secret);
      expect(body).not.toContain('root:x:0:0');
    }
  });

  it('never serves an artifact named with ../ or an absolute path', async () => {
    for (const id of ['art-dotdot', 'art-absolute']) {
      const detail = await run(id);
      const artifact = detail.artifacts[0];
      expect(artifact?.size ?? null, id).toBeNull();
      const response = await get(`/artifacts/${encodeURIComponent(artifact?.id ?? '')}`);
      expect(response.status, id).not.toBe(200);
      expect(await response.text()).not.toContain(world.secret);
    }
  });

  it('leaves links out of "Download all (zip)"', async () => {
    for (const id of ['art-link-file', 'art-under-linked-dir', 'art-link-etc']) {
      const response = await get(`/artifacts-zip/${SOURCE}/${id}`);
      expect(response.status).toBe(200);
      const entries = await unzipNames(Buffer.from(await response.arrayBuffer()));
      for (const [name, text] of entries) {
        expect(text, `${id}/${name}`).not.toContain(world.secret);
        expect(text, `${id}/${name}`).not.toContain('root:x:0:0');
      }
      // The zip says what it left out and why, instead of leaving the user guessing.
      expect([...entries.keys()], id).toEqual(['NOT-INCLUDED.txt']);
      expect(entries.get('NOT-INCLUDED.txt'), id).toMatch(/points to .*outside the folders/u);
    }
  });

  it('refuses source files outside the folder, on the core and the HTTP door', async () => {
    const refusals: [string, string][] = [
      ['src-absolute', 'a.py'],
      ['src-absolute', 'b.py'],
      ['src-dotdot', 'a.py'],
      ['src-linked-in-sources', 'c.py'],
      ['src-queued-linked', 'd.py'],
      ['src-copy-sources-false', 'train.py'],
    ];
    for (const [id, name] of refusals) {
      await expect(
        core.getSourceFile({ source: SOURCE, id, name }),
        `${id} ${name}`,
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const response = await fetch(`http://127.0.0.1:${host.port}/api/getSourceFile`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
        body: JSON.stringify({ source: SOURCE, id, name }),
      });
      const body = await response.text();
      // A refusal the core answered is a result over HTTP too (as over IPC): 200 with the
      // error in the envelope, so the page shows the message and the browser logs no failure.
      expect(response.status, `${id} ${name}`).toBe(200);
      expect(JSON.parse(body), `${id} ${name}`).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(body).toContain('--trust');
      expect(body).not.toContain(world.secret);
    }
  });

  it('reads a source stored next to the folder once the user trusts that folder', async () => {
    const trusted = await core.updateTrustedFolders({ source: SOURCE, add: [world.experiments] });
    expect(trusted.trustedFolders).toEqual([world.experiments]);
    const file = await core.getSourceFile({
      source: SOURCE,
      id: 'src-copy-sources-false',
      name: 'train.py',
    });
    expect(file.text).toContain('print("train")');
    // Trusting one folder does not open the others.
    await expect(
      core.getSourceFile({ source: SOURCE, id: 'src-dotdot', name: 'a.py' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const untrusted = await core.updateTrustedFolders({
      source: SOURCE,
      remove: [world.experiments],
    });
    expect(untrusted.trustedFolders).toEqual([]);
    await expect(
      core.getSourceFile({ source: SOURCE, id: 'src-copy-sources-false', name: 'train.py' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses local raw data that climbs out of its folder or sits at an absolute path outside', async () => {
    for (const id of ['raw-dotdot', 'raw-absolute']) {
      const listed = await core.listRawData({ source: SOURCE, id });
      const row = listed.rows[0];
      expect(row?.availability, id).not.toBe('found');
      expect(row?.searched.join(' '), id).toMatch(/outside the folders this source may read/u);
      const response = await get(
        `/raw-data/${rawDataPath({ kind: 'local', source: SOURCE, id, stem: 'video' })}`,
      );
      const body = await response.text();
      expect(response.status, id).toBe(403);
      expect(body).not.toContain(world.secret);
    }
  });
});

describe('stalling the app (item 6)', () => {
  it('reads no FIFO or device, says what each is, and lists the run', async () => {
    const expectations: Record<string, RegExp> = {
      'fifo-run': /run\.json is a named pipe \(FIFO\)/u,
      'zero-run': /run\.json (is a character device|points to \/dev\/zero, outside the folders)/u,
    };
    for (const hostile of casesOf('stall')) {
      const detail = await run(hostile.id);
      const said = `${detail.unreadable ?? ''}\n${detail.warnings.join('\n')}`;
      const expected = expectations[hostile.id];
      if (expected !== undefined) expect(detail.unreadable, hostile.id).toMatch(expected);
      else expect(said, hostile.id).toMatch(/FIFO|character device|outside the folders/u);
    }
  });

  it('answers FIFO and device artifacts and sources with an error instead of blocking', async () => {
    for (const id of ['fifo-artifact', 'zero-artifact']) {
      const artifact = (await run(id)).artifacts[0];
      const response = await get(`/artifacts/${encodeURIComponent(artifact?.id ?? '')}`);
      expect(response.status, id).not.toBe(200);
      await response.text();
    }
    await expect(
      core.getSourceFile({ source: SOURCE, id: 'fifo-source', name: 'e.py' }),
    ).rejects.toThrow(/FIFO/u);
  });

  it('serves another source while the hostile one syncs again, and a cancel leaves it idle', async () => {
    const other = tempDir('hostile-other');
    writeSyntheticRun(other, '1');
    await core.addFolderSource({ name: 'other', path: other });
    await core.syncSources({ names: ['other'] });
    // Make every hostile run look changed, so the sync reads them all again.
    await core.removeSource({ name: SOURCE });
    await core.addFolderSource({ name: SOURCE, path: world.folder });
    const syncing = core.syncSources({ names: [SOURCE] }).catch((error: unknown) => error);
    const detail = await core.getRun({ source: 'other', id: '1' });
    expect(detail.status).toBe('COMPLETED');
    await core.cancelSync({ source: SOURCE });
    await syncing;
    const state = (await core.listSources({})).find((s) => s.name === SOURCE)?.state;
    expect(state).not.toBe('syncing');
    await core.syncSources({ names: [SOURCE] });
  });
});

describe('runs that used to vanish (item 8)', () => {
  it('lists a run with a 5,000-level config.json, info.json or result, saying why', async () => {
    for (const id of ['deep-config', 'deep-config-nan', 'deep-info']) {
      const detail = await run(id);
      expect(detail.unreadable, id).toBeNull();
      expect(detail.warnings.join('\n'), id).toMatch(/nests more than \d+ levels/u);
    }
    const deepRun = await run('deep-run');
    expect(deepRun.unreadable).toMatch(/run\.json nests more than \d+ levels/u);
    const source = (await core.listSources({})).find((s) => s.name === SOURCE);
    expect(source?.unreadableCount).toBeGreaterThan(0);
  });
});

describe('messages', () => {
  it('names a byte-order mark, UTF-16 and a status that is not text', async () => {
    const bom = await run('bom-run');
    expect(bom.unreadable).toBeNull();
    expect(bom.status).toBe('COMPLETED');
    expect(bom.warnings.join('\n')).toMatch(/byte-order mark/u);
    for (const id of ['utf16le-run', 'utf16be-run']) {
      expect((await run(id)).unreadable, id).toMatch(/run\.json is UTF-16 text/u);
    }
    expect((await run('utf16-nobom-config')).warnings.join('\n')).toMatch(
      /config\.json is UTF-16 text/u,
    );
    expect((await run('status-number')).warnings.join('\n')).toMatch(
      /status is a number \(3\), not text/u,
    );
    expect((await run('status-object')).warnings.join('\n')).toMatch(/status is an object/u);
    expect(JSON.stringify(await run('status-number'))).not.toContain('has no status');
  });
});
