// The run table through the core and the CLI: views, export (CSV, JSON, file with progress,
// metrics in both layouts), columns and distinct values, Omniboard's columns from MongoDB,
// and the CLI's `runs --where/--sort/--columns` giving the same CSV as the UI's export.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import {
  readOmniboardColumns,
  storeOmniboardColumns,
} from '../../main/core/query/omniboard-columns';
import type { ExportProgress } from '../../shared/events';
import { writeRunTableData } from '../support/run-table-data';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';
import { freshDbName, startTestMongo } from './mongo-sync-support';

const NOW = Date.UTC(2025, 0, 1);
let ws: Workspace;
let core: AltarCore;

beforeAll(() => {
  ws = workspace();
  const store = CacheStore.open(cacheFilePath(ws.dataDir));
  writeRunTableData(store, 'lab', { runs: 120, seed: 3, configKeys: 20, nowMs: NOW });
  writeRunTableData(store, 'other', { runs: 40, seed: 4, configKeys: 20, nowMs: NOW });
  // A run whose values need CSV quoting: commas, quotes, newlines, a list, an object.
  const odd = emptyParsedRun('odd', 'COMPLETED');
  odd.experiment = 'has, comma';
  odd.comment = 'say "hi"\nsecond line';
  odd.startTime = '2024-12-31T00:00:00.000Z';
  odd.config = { name: 'odd', layers: [1, 2], nested: { 'a.b': { c: true } } };
  odd.metrics.push({
    name: 'loss',
    steps: new Float64Array([0, 1, 1, 5]),
    values: new Float64Array([1, 0.5, 0.4, NaN]),
    timestamps: new Float64Array(4).fill(NaN),
  });
  odd.metrics.push({
    name: 'acc',
    steps: new Float64Array([0, 2]),
    values: new Float64Array([0.1, 0.9]),
    timestamps: new Float64Array(2).fill(NaN),
  });
  store.writeRun('lab', { id: 'odd', dir: null, fingerprint: 'f' }, odd);
  store.close();
  core = createAltarCore({ dataDir: ws.dataDir, door: 'direct', now: () => NOW });
});

afterAll(async () => {
  await core.close();
  ws.remove();
});

describe('views', () => {
  it('start with one default view and keep exactly one default', async () => {
    const initial = await core.listViews({});
    expect(initial).toHaveLength(1);
    expect(initial[0]).toMatchObject({
      name: 'All runs',
      isDefault: true,
      filter: '',
      sources: null,
    });

    const saved = await core.saveView({
      name: 'Good lr',
      columns: ['id', 'config.optimizer.lr', 'metrics.metric_0.last'],
      filter: 'config.optimizer.lr>=0.001  AND status = COMPLETED',
      sort: [{ column: 'metrics.metric_0.last', desc: true }],
      sources: ['lab'],
      isDefault: true,
      layout: { widths: { id: 80 } },
    });
    // The filter is kept in its canonical text form.
    expect(saved).toMatchObject({
      filter: 'config.optimizer.lr >= 0.001 and status = COMPLETED',
      isDefault: true,
      layout: { widths: { id: 80 } },
    });
    const views = await core.listViews({});
    expect(views.filter((view) => view.isDefault).map((view) => view.name)).toEqual(['Good lr']);

    await expect(
      core.saveView({ name: 'good LR', columns: [], filter: '', sort: [], sources: null }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(
      core.saveView({ name: 'Broken', columns: [], filter: 'config.x >', sort: [], sources: null }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/at column 11/u),
    });
    await expect(
      core.saveView({
        name: 'Bad column',
        columns: ['nope.x'],
        filter: '',
        sort: [],
        sources: null,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });

    const renamed = await core.renameView({ id: saved.id, name: 'Best runs' });
    expect(renamed.name).toBe('Best runs');
    const { id, name, columns, sort, sources } = renamed;
    const updated = await core.saveView({
      id,
      name,
      columns,
      sort,
      sources,
      filter: 'dead = true',
    });
    expect(updated).toMatchObject({
      id: saved.id,
      filter: 'dead = true',
      layout: { widths: { id: 80 } },
    });

    await core.deleteView({ id: saved.id });
    const after = await core.listViews({});
    expect(after.map((view) => [view.name, view.isDefault])).toEqual([['All runs', true]]);
    await core.deleteView({ id: after[0]!.id });
    const recreated = await core.listViews({});
    expect(recreated.map((view) => [view.name, view.isDefault])).toEqual([['All runs', true]]);
    await expect(core.deleteView({ id: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('export and the CLI', () => {
  const view = {
    where: 'status in (COMPLETED, FAILED) and config.optimizer.lr >= 0.001 or id = odd',
    sort: [{ column: 'config.seed', desc: true }],
    columns: [
      'source',
      'id',
      'experiment',
      'notes',
      'config.seed',
      'config.layers',
      'config.nested',
      'metrics.loss.last',
      'start_time',
      'dead',
    ],
  };

  it('writes the visible columns of the filtered rows as CSV, lists and objects as JSON', async () => {
    const exported = await core.exportRuns({ ...view, format: 'csv' });
    const query = await core.queryRuns({ ...view, limit: 100_000 });
    expect(exported.rows).toBe(query.total);
    const parsed = Papa.parse<string[]>(exported.text!, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual(view.columns);
    expect(parsed.data.slice(1).map((row) => `${row[0]}/${row[1]}`)).toEqual(
      query.rows.map((row) => `${row.source}/${row.id}`),
    );
    const odd = parsed.data.find((row) => row[1] === 'odd')!;
    expect(odd).toEqual([
      'lab',
      'odd',
      'has, comma',
      'say "hi"\nsecond line',
      '',
      '[1,2]',
      '{"a.b":{"c":true}}',
      'NaN',
      '2024-12-31T00:00:00.000Z',
      'false',
    ]);
    expect(exported.text!.endsWith('\r\n')).toBe(true);
  });

  it('gives the CLI exactly the CSV the export gives the UI', async () => {
    const exported = await core.exportRuns({ ...view, format: 'csv' });
    const cli = await runCli([
      '--data-dir',
      ws.dataDir,
      'runs',
      '--where',
      view.where,
      '--sort',
      'config.seed:desc',
      '--columns',
      view.columns.join(','),
      '--format',
      'csv',
    ]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(exported.text);
  });

  it('reports a bad --where in one line with the position and exits 2', async () => {
    const cli = await runCli([
      '--data-dir',
      ws.dataDir,
      'runs',
      '--where',
      'config.lr >= and id = 1',
    ]);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toBe(
      'altar-viewer: --where: expected a value after ">=", found the keyword "and" (quote it to mean the text) (at column 14)\n',
    );
    const badColumn = await runCli(['--data-dir', ws.dataDir, 'runs', '--columns', 'id,bogus.x']);
    expect(badColumn.code).toBe(2);
    expect(badColumn.stderr).toMatch(/^altar-viewer: column "bogus.x": unknown column "bogus"/u);
  });

  it('prints the table and JSON of a query', async () => {
    const table = await runCli([
      '--data-dir',
      ws.dataDir,
      'runs',
      '--where',
      'id = odd',
      '--columns',
      'id,config.name',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^id\s+config\.name\nodd\s+odd\n$/u);
    const json = await runCli([
      '--data-dir',
      ws.dataDir,
      'runs',
      '--where',
      '"HAS, C"',
      '--columns',
      'id,config.layers',
      '--format',
      'json',
    ]);
    expect(JSON.parse(json.stdout)).toEqual([{ id: 'odd', 'config.layers': [1, 2] }]);
  });

  it('writes a large export to a file with progress events, never a partial file', async () => {
    const events: ExportProgress[] = [];
    const stop = core.on('exportProgress', (event) => events.push(event));
    const path = join(ws.root, 'all.json');
    const result = await core.exportRuns({
      format: 'json',
      columns: ['id', 'config.seed'],
      path,
      operationId: 'op1',
    });
    stop();
    expect(result).toMatchObject({ rows: 161, text: null, path });
    const written = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[];
    expect(written).toHaveLength(161);
    expect(Object.keys(written[0]!)).toEqual(['id', 'config.seed']);
    expect(events.at(-1)).toEqual({ operationId: 'op1', phase: 'done', done: 161, total: 161 });
    expect(events.some((event) => event.phase === 'writing')).toBe(true);

    // Saving over a file replaces it (the save dialog has asked).
    await core.exportRuns({ format: 'csv', columns: ['id'], path, where: 'id = odd' });
    expect(readFileSync(path, 'utf8')).toBe('id\r\nodd\r\n');
    await expect(core.exportRuns({ format: 'csv', path: 'relative.csv' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      core.exportRuns({ format: 'csv', path: join(ws.root, 'no-such-dir', 'x.csv') }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(readdirSync(ws.root).filter((name) => name.includes('.partial'))).toEqual([]);
    expect(existsSync(join(ws.root, 'no-such-dir'))).toBe(false);
  });

  it('exports metrics with steps as rows and steps as columns', async () => {
    const rows = await core.exportMetrics({
      where: 'id = odd',
      metrics: ['loss', 'acc'],
      layout: 'steps-as-rows',
    });
    expect(rows.text).toBe(
      [
        'source,id,step,loss,acc',
        'lab,odd,0,1,0.1',
        'lab,odd,1,0.4,',
        'lab,odd,2,,0.9',
        'lab,odd,5,NaN,',
        '',
      ].join('\r\n'),
    );
    const columns = await core.exportMetrics({
      where: 'id = odd',
      columns: ['id', 'experiment'],
      metrics: ['loss', 'acc', 'missing'],
      layout: 'steps-as-columns',
    });
    expect(columns.text).toBe(
      [
        'id,experiment,metric,0,1,2,5',
        'odd,"has, comma",loss,1,0.4,,NaN',
        'odd,"has, comma",acc,0.1,,0.9,',
        '',
      ].join('\r\n'),
    );
  });
});

describe('columns and values', () => {
  it('lists built-ins, leaf paths with types and distinct counts, and metric summaries', async () => {
    const { columns } = await core.listColumns({});
    const byId = new Map(columns.map((column) => [column.id, column]));
    expect(columns[0]?.id).toBe('source');
    expect(byId.get('status')).toMatchObject({ group: 'builtin', type: 'string' });
    expect(byId.get('config.optimizer.lr')).toMatchObject({
      group: 'config',
      type: 'number',
      distinct: 4,
      present: 160,
    });
    expect(byId.get('config.model."drop.out"')).toMatchObject({
      path: ['config', 'model', 'drop.out'],
      type: 'number',
    });
    expect(byId.get('config.data."$ref"')).toMatchObject({
      path: ['config', 'data', '$ref'],
      type: 'string',
      distinct: 1,
    });
    expect(byId.get('config.maybe')?.type).toBe('mixed');
    expect(byId.get('config.layers')?.type).toBe('list');
    expect(byId.get('config.when')?.type).toBe('date');
    expect(byId.get('config.nested."a.b".c')).toMatchObject({ type: 'bool', present: 1 });
    expect(byId.get('metrics."val.loss".last')).toMatchObject({ group: 'metrics', type: 'number' });
    expect(byId.get('config.seed')?.distinctCapped).toBe(false);
    const onlyOther = await core.listColumns({ sources: ['other'] });
    expect(
      onlyOther.columns.find((column) => column.id === 'config.nested."a.b".c'),
    ).toBeUndefined();
  });

  it('offers the distinct values of a column, most frequent first, narrowed by filter and search', async () => {
    const status = await core.distinctValues({ column: 'status' });
    const counts = status.values.map((entry) => entry.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(161);
    const tags = await core.distinctValues({ column: 'tags', where: 'source = lab', search: 'BE' });
    expect(tags.values.map((entry) => entry.value)).toEqual(['best']);
    const limited = await core.distinctValues({ column: 'config.seed', limit: 3 });
    expect(limited.values).toHaveLength(3);
    expect(limited.complete).toBe(false);
  });

  it('marks Omniboard columns of a source as suggested', async () => {
    const store = CacheStore.open(cacheFilePath(ws.dataDir));
    storeOmniboardColumns(store.database, 'lab', [
      { columnId: 'config.optimizer.lr', label: 'LR' },
      { columnId: 'metrics.never_logged.min', label: 'Never' },
    ]);
    store.close();
    const { columns } = await core.listColumns({});
    expect(columns.find((column) => column.id === 'config.optimizer.lr')).toMatchObject({
      suggested: true,
      label: 'LR',
    });
    expect(columns.find((column) => column.id === 'metrics.never_logged.min')).toMatchObject({
      suggested: true,
      present: 0,
    });
    expect(columns.find((column) => column.id === 'config.seed')).toMatchObject({
      suggested: false,
      label: null,
    });
  });
});

describe('Omniboard columns in a MongoDB database', () => {
  it('reads custom and metric columns as column ids, and nothing when there are none', async () => {
    const mongo = await startTestMongo();
    const client = new MongoClient(mongo.uri);
    try {
      await client.connect();
      const db = client.db(freshDbName('omniboard'));
      expect(await readOmniboardColumns(db)).toEqual([]);
      await db
        .collection('omniboard.custom.columns')
        .insertMany([{ name: 'Learning rate', config_path: 'optimizer.lr' }, { name: 'bad' }]);
      await db.collection('omniboard.metric.columns').insertMany([
        { name: 'Best loss', metric_name: 'train.loss', extrema: 'min' },
        { name: 'Acc', metric_name: 'acc', extrema: 'max', lastn: 5 },
        { name: 'Mean acc', metric_name: 'acc', extrema: 'avg' },
      ]);
      expect(await readOmniboardColumns(db)).toEqual([
        { columnId: 'config.optimizer.lr', label: 'Learning rate' },
        { columnId: 'metrics."train.loss".min', label: 'Best loss' },
        { columnId: 'metrics.acc.max', label: 'Acc' },
        { columnId: 'metrics.acc.mean', label: 'Mean acc' },
      ]);
    } finally {
      await client.close();
      await mongo.close();
    }
  });
});
