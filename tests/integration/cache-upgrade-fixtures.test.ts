// Every released schema version of the cache, frozen as SQL in tests/fixtures/old-caches (made
// once from that version's migrations, never regenerated), opened by today's app: the upgrade
// runs to the newest version, whatever it is, and the user finds their sources, runs, metrics,
// output, settings, views, connections and storage profiles as they were. Building the "old"
// cache from the current migration list instead would miss an edited or reordered migration.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { migrations } from '../../main/core/cache/migrations';
import { cacheFilePath } from '../../main/core/data-dir';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'old-caches');
const versions = readdirSync(FIXTURES)
  .map((name) => /^cache-v(\d+)\.sql$/u.exec(name)?.[1])
  .filter((text): text is string => text !== undefined)
  .map(Number)
  .sort((a, b) => a - b);

let dataDir: string | null = null;
let core: AltarCore | null = null;

afterEach(async () => {
  await core?.close();
  core = null;
  if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

function userVersion(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return Number(db.pragma('user_version', { simple: true }));
  } finally {
    db.close();
  }
}

/** A data dir whose cache is the frozen version `version`. */
function oldDataDir(version: number): string {
  dataDir = mkdtempSync(join(tmpdir(), `altar-old-cache-v${version}-`));
  const db = new Database(cacheFilePath(dataDir));
  db.exec(readFileSync(join(FIXTURES, `cache-v${version}.sql`), 'utf8'));
  db.close();
  return dataDir;
}

describe('frozen caches of every released schema version', () => {
  it('has a fixture for every version from 1 to the newest frozen one', () => {
    expect(versions[0]).toBe(1);
    expect(versions).toEqual(versions.map((_, index) => index + 1));
    // Versions 1 to 15 had shipped by the last freeze; a new migration ships with its fixture
    // (npx tsx tests/fixtures/old-caches/freeze-old-cache.ts N, see the README there).
    expect(versions.length).toBeGreaterThanOrEqual(15);
    expect(versions.at(-1), 'the newest schema version has no frozen fixture').toBe(
      migrations.length,
    );
  });

  it.each(versions)('upgrades version %i to the newest and keeps its data', async (version) => {
    const dir = oldDataDir(version);
    const file = cacheFilePath(dir);
    expect(userVersion(file)).toBe(version);

    core = createAltarCore({ dataDir: dir, door: 'direct' });
    const altar = core;

    const sources = await altar.listSources({});
    const expectedSources = version >= 3 ? ['db1', 'lab'] : ['lab'];
    expect(sources.map((source) => source.name).sort()).toEqual(expectedSources);
    expect(sources.find((source) => source.name === 'lab')).toMatchObject({
      kind: 'folder',
      runCount: 2,
      lastSyncAt: '2026-11-20T10:00:00.000Z',
    });

    const listed = await altar.listRuns({ source: 'lab' });
    expect(listed.total).toBe(2);
    expect(listed.runs.map((run) => [run.id, run.status]).sort()).toEqual([
      ['1', 'COMPLETED'],
      ['2', 'FAILED'],
    ]);

    const run = await altar.getRun({ source: 'lab', id: '1' });
    expect(run).toMatchObject({
      status: 'COMPLETED',
      experiment: 'mnist',
      start_time: '2026-11-20T08:00:00.000Z',
      config: { lr: 0.01, optimizer: { name: 'adam' }, layers: [64, 32] },
      result: 0.93,
      comment: 'the baseline',
      tags: ['baseline'],
    });
    const failed = await altar.getRun({ source: 'lab', id: '2' });
    expect(failed.failTrace).toEqual([
      'Traceback (most recent call last):\n',
      'ValueError: nan loss\n',
    ]);
    expect((await altar.getCapturedOutput({ source: 'lab', id: '1' })).text).toBe(
      'epoch 1 loss 0.9\nepoch 2 loss 0.5\n',
    );
    const loss = await altar.getMetric({ source: 'lab', id: '1', name: 'loss' });
    expect([...loss.values]).toEqual([0.9, 0.5, 0.3, 0.2, 0.125]);
    expect([...loss.steps]).toEqual([0, 10, 20, 30, 40]);

    // The run table reads config paths and metric summaries of the old rows.
    const query = await altar.queryRuns({
      where: 'config.lr < 0.05',
      sort: [{ column: 'config.lr' }],
      columns: ['config.lr', 'metrics.loss.last', 'metrics.loss.min'],
    });
    const expectedRows = [
      ...(version >= 3 ? [['db1', '7', 0.001, 0.8, 0.8]] : []),
      ['lab', '1', 0.01, 0.125, 0.125],
    ];
    expect(
      query.rows.map((row) => [
        row.source,
        row.id,
        row.values['config.lr'],
        row.values['metrics.loss.last'],
        row.values['metrics.loss.min'],
      ]),
    ).toEqual(expectedRows);

    if (version >= 2) {
      const profiles = await altar.listProfiles({});
      expect(profiles.map((profile) => profile.name)).toEqual(['lab-db']);
    }
    if (version >= 3) {
      expect(sources.find((source) => source.name === 'db1')).toMatchObject({
        kind: 'mongo',
        runCount: 1,
      });
      expect(await altar.getRun({ source: 'db1', id: '7' })).toMatchObject({
        status: 'RUNNING',
        config: { lr: 0.001 },
      });
    }
    const settings = await altar.getSettings({});
    if (version >= 4) {
      expect(settings).toMatchObject({ backgroundSyncMinutes: 15, liveRefreshSeconds: 12 });
    }
    if (version >= 5) {
      const views = await altar.listViews({});
      expect(views.find((view) => view.name === 'lr sweep')).toMatchObject({
        columns: ['id', 'status', 'config.lr', 'metrics.loss.last'],
        filter: 'config.lr < 0.05',
        sort: [{ column: 'config.lr', desc: false }],
      });
    }
    if (version >= 8) {
      expect(await altar.getStorageProfile({ source: 'db1' })).toMatchObject({
        endpoint: 'https://minio.lab:9000',
        region: 'eu-west-1',
        localRoots: ['/mnt/lab-data'],
      });
    }
    // Trusted folders (13) and announced finished runs (15) are kept; before, there were none.
    const lab = sources.find((source) => source.name === 'lab');
    expect(lab?.trustedFolders).toEqual(version >= 13 ? ['/data/shared-inputs'] : []);
    const db1 = sources.find((source) => source.name === 'db1');
    if (version >= 3) expect(db1?.notifyFinishedRuns).toBe(version >= 15);
    // Writes turned on (16) stay on, and an edit made offline still waits; before, none.
    if (version >= 3) expect(db1?.writable).toBe(version >= 16);
    expect((await altar.listPendingEdits({})).edits.map((edit) => [edit.id, edit.mine])).toEqual(
      version >= 16 ? [['7', 'written offline']] : [],
    );

    await altar.close();
    core = null;
    expect(userVersion(file)).toBe(migrations.length);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
