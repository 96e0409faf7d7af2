// Real Omniboard 2.16.1 (npm, mongoose 5 / driver 3.7) against our MongoDB test server: its
// run list with metric and custom columns, count, filters, drill-down, metrics, artifacts and
// source files give, run by run, the values our reader gives for the same databases — so the
// server speaks the dialect a real tool uses, and our app shows what Omniboard users see.
import type { Document, MongoClient } from 'mongodb';
import { MongoClient as Client } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import type { RunDetail, RunSummary } from '../../shared/contract';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { seedMongoSamples } from '../support/sacred-mongo-samples';
import { uiRunsParams } from './omniboard-api';
import type { Json, JsonDoc, MetricColumnDef, OmniboardApi } from './omniboard-api';
import {
  asOmniboardJson,
  jsonNumber,
  metricColumnValue,
  omniboardDuration,
  omniboardStatus,
  sameNumber,
} from './omniboard-expectations';
import type { StoredSeries } from './omniboard-expectations';
import { startOmniboard } from './omniboard-process';
import type { OmniboardProcess } from './omniboard-process';
import { OMNIBOARD_SETTINGS, seedOmniboardLab } from './omniboard-seed';
import type { OmniboardLab } from './omniboard-seed';

// Fresh RUNNING runs beat "now": ten minutes ahead, they stay fresh however slow the run.
const NOW = Date.now() + 10 * 60_000;
const LAB = 'lab';
const SAMPLE_COLUMNS: MetricColumnDef[] = [
  { name: 'loss_min', metric_name: 'train.loss', extrema: 'min' },
  { name: 'loss_last', metric_name: 'train.loss', extrema: 'last' },
  { name: 'acc_min', metric_name: 'val.acc', extrema: 'min' },
  { name: 'acc_max', metric_name: 'val.acc', extrema: 'max' },
  { name: 'acc_avg', metric_name: 'val.acc', extrema: 'avg' },
  { name: 'acc_last2', metric_name: 'val.acc', extrema: 'last_avg', lastn: 2 },
];

let mongo: MongoTestServer;
let writer: MongoClient;
let lab: OmniboardLab;
let samples: Record<string, string>;
let core: AltarCore;
let dataDir: string;
let omniboard: OmniboardProcess;

function databaseUri(database: string): string {
  return mongoUriWithCredentials(`${mongo.uri}/${database}`, 'lab', 'lab-pw');
}

beforeAll(async () => {
  mongo = await startMongoTestServer({
    users: [{ user: 'lab', password: 'lab-pw', roles: [{ role: 'readWrite', db: '*' }] }],
  });
  writer = new Client(databaseUri('admin'));
  await writer.connect();
  lab = await seedOmniboardLab(writer.db(LAB), { runs: 30, seed: 11, now: NOW });
  samples = await seedMongoSamples(writer, 'sample_');
  const completed = writer.db(samples.completed ?? '');
  await completed
    .collection('omniboard.metric.columns')
    .insertMany(SAMPLE_COLUMNS.map((c) => ({ ...c })));
  await completed
    .collection('omniboard.custom.columns')
    .insertOne({ name: 'lr', config_path: 'config.lr' });

  dataDir = mkdtempSync(join(tmpdir(), 'altar-omniboard-read-'));
  core = createAltarCore({ dataDir, door: 'direct' });
  const profile = await core.saveProfile({ name: 'lab server', uri: databaseUri('admin') });
  const databases = [LAB, ...Object.values(samples)];
  for (const database of databases) {
    await core.addMongoSource({ name: database, profileId: profile.id, database });
  }
  // The lab as AltarDocker's compose file starts Omniboard: SCRAM-SHA-1 asked by name.
  omniboard = await startOmniboard(
    databases.map((database) => ({
      key: database,
      uri:
        database === LAB
          ? `${databaseUri(database)}&authMechanism=SCRAM-SHA-1`
          : databaseUri(database),
    })),
  );
});

afterAll(async () => {
  await omniboard?.close();
  await core?.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  await writer?.close();
  await mongo?.close();
});

// ---- what our reader gives ----

async function coreRuns(source: string): Promise<Map<string, RunSummary>> {
  const { runs } = await core.listRuns({ source, limit: 100_000 });
  return new Map(runs.map((run) => [run.id, run]));
}

/** Which stored metric values are null (our reader's series has NaN for both). */
async function storedNulls(database: string): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  for (const doc of await writer.db(database).collection('metrics').find({}).toArray()) {
    const values = Array.isArray(doc.values) ? (doc.values as unknown[]) : [];
    const nulls = new Set<number>();
    values.forEach((value, i) => {
      if (value === null) nulls.add(i);
    });
    out.set(`${String(doc.run_id)}\u0000${String(doc.name)}`, nulls);
  }
  return out;
}

async function storedSeries(
  source: string,
  run: RunSummary,
  metric: string,
  nulls: Map<string, Set<number>>,
): Promise<StoredSeries | null> {
  if (!run.metrics.some((m) => m.name === metric)) return null;
  const series = await core.getMetric({ source, id: run.id, name: metric });
  return { values: series.values, nulls: nulls.get(`${run.id}\u0000${metric}`) ?? new Set() };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          void readAll(stream).then((content) => {
            entries.set(entry.fileName, content);
            zip.readEntry();
          }, reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

// ---- what Omniboard's UI shows ----

function asDoc(value: Json | undefined): JsonDoc | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** The tags cell (runsTable.js `_parseRunsResponseData`): omniboard.tags, else config.tags. */
function uiTags(row: JsonDoc): Json {
  const omniboard = asDoc(row.omniboard);
  if (omniboard !== null && 'tags' in omniboard) return omniboard.tags ?? null;
  const tags = asDoc(row.config)?.tags;
  if (typeof tags === 'string' && tags.length > 0) return tags.split(',');
  return Array.isArray(tags) ? tags : [];
}

/** The notes cell: omniboard.notes when set (even empty), else meta.comment. */
function uiNotes(row: JsonDoc): Json {
  const omniboard = asDoc(row.omniboard);
  if (omniboard !== null && 'notes' in omniboard) return omniboard.notes ?? null;
  return asDoc(row.meta)?.comment ?? null;
}

/** Ids as our reader spells them. */
const idText = (id: Json | undefined): string => String(id);

/** Every run in the UI's order, page by page as its table scrolls (skip/limit). */
async function allRunsPaged(api: OmniboardApi, pageSize: number): Promise<JsonDoc[]> {
  const [metricColumns, customColumns] = await Promise.all([
    api.metricColumns(),
    api.customColumns(),
  ]);
  const params = uiRunsParams(metricColumns, customColumns, pageSize);
  const out: JsonDoc[] = [];
  for (let skip = 0; ; skip += pageSize) {
    const page = await api.runs({ ...params, skip });
    out.push(...page);
    if (page.length < pageSize) return out;
  }
}

/** Field by field, one run of Omniboard's list against our reader's run. */
function expectSameRun(row: JsonDoc, run: RunSummary, altarSender: boolean): void {
  const where = `run ${run.id} of ${run.source}`;
  expect(row.status ?? null, where).toBe(
    run.unreadable === null ? omniboardStatus(run, Date.now()) : (row.status ?? null),
  );
  if (run.unreadable !== null) return;
  expect(asDoc(row.experiment)?.name ?? null, where).toBe(run.experiment);
  expect(row.command ?? null, where).toBe(run.command);
  expect(asDoc(row.host)?.hostname ?? null, where).toBe(run.host);
  expect(row.start_time ?? null, where).toBe(run.start_time);
  expect(row.stop_time ?? null, where).toBe(run.stop_time);
  expect(row.heartbeat ?? null, where).toBe(run.heartbeat);
  expect(row.duration ?? null, where).toBe(omniboardDuration(run));
  if (asDoc(row.config) === null) {
    // A config that is not an object: Omniboard shows it as is, we show none (and warn).
    expect(run.config, where).toEqual({});
  } else {
    expect(row.config, where).toEqual(asOmniboardJson(run.config));
  }
  // The Altar sender leaves result null and keeps results in info.result, which we show.
  expect(row.result ?? null, where).toEqual(altarSender ? null : asOmniboardJson(run.result));
  expect(uiTags(row), where).toEqual(run.tags);
  // Omniboard shows a notes field emptied in its editor as empty; we then show no comment.
  expect(uiNotes(row) || null, where).toBe(run.comment);
}

/** Omniboard's run page (drill-down and its metrics) against our run detail. */
async function expectSameDrillDown(
  source: string,
  api: OmniboardApi,
  run: RunSummary,
): Promise<void> {
  const where = `run ${run.id} of ${source}`;
  const row = await api.run(run.id);
  const detail: RunDetail = await core.getRun({ source, id: run.id });
  expect(idText(row._id), where).toBe(run.id);
  expect(row.status ?? null, where).toBe(omniboardStatus(detail, Date.now()));
  const output = await core.getCapturedOutput({ source, id: run.id, maxBytes: 64 * 1024 * 1024 });
  expect(row.captured_out ?? '', where).toBe(output.text);
  expect(row.info ?? {}, where).toEqual(asOmniboardJson(detail.info));
  expect(row.meta ?? {}, where).toEqual(asOmniboardJson(detail.meta));
  expect(row.host ?? {}, where).toEqual(asOmniboardJson(detail.hostInfo));
  expect(row.experiment ?? {}, where).toEqual(asOmniboardJson(detail.experimentInfo));
  const trace = row.fail_trace;
  expect(
    trace === undefined || trace === null ? null : Array.isArray(trace) ? trace.join('') : trace,
    where,
  ).toBe(detail.failTrace?.join('') ?? null);

  // The drill-down's metrics: every point, NaN and None as JSON null.
  const metrics = await api.metrics(run.id);
  expect(metrics.map((m) => m.name).sort(), where).toEqual(
    detail.metrics.map((m) => m.name).sort(),
  );
  for (const doc of metrics) {
    const series = await core.getMetric({ source, id: run.id, name: String(doc.name) });
    expect(doc.steps, `${where} ${String(doc.name)}`).toEqual(Array.from(series.steps));
    expect(doc.values, `${where} ${String(doc.name)}`).toEqual(
      Array.from(series.values, (v) => jsonNumber(v)),
    );
    expect(doc.timestamps, `${where} ${String(doc.name)}`).toEqual(
      Array.from(series.timestamps, (t) => new Date(t).toISOString()),
    );
  }
}

describe('Omniboard against the test server: the run table', () => {
  it('serves each database it was given under its own path', async () => {
    const listing = (await (await fetch(`${omniboard.origin}/api/v1/databases`)).json()) as {
      key: string;
      name: string;
    }[];
    expect(listing.map((db) => [db.key, db.name])).toEqual(
      [LAB, ...Object.values(samples)].map((name) => [name, name]),
    );
    expect(await omniboard.api(LAB).database()).toMatchObject({ name: LAB, path: `/${LAB}` });
  });

  it('reads its settings and column definitions from the omniboard.* collections', async () => {
    const api = omniboard.api(LAB);
    const settings = await api.settings();
    expect(settings.map((s) => ({ name: s.name, value: s.value }))).toEqual(OMNIBOARD_SETTINGS);
    expect((await api.metricColumns()).map(({ _id: _, __v: _v, ...c }) => c)).toEqual(
      lab.metricColumns,
    );
    expect((await api.customColumns()).map(({ _id: _, __v: _v, ...c }) => c)).toEqual(
      lab.customColumns,
    );
    // Our reader offers the same columns first, under Omniboard's names.
    const { columns } = await core.listColumns({ sources: [LAB] });
    const labels = columns.filter((c) => c.suggested).map((c) => c.label);
    for (const column of [...lab.metricColumns, ...lab.customColumns]) {
      if ('extrema' in column && column.extrema === 'last_avg') {
        continue; // no such summary of ours: suggested as its `last`
      }
      expect(labels).toContain(column.name);
    }
  });

  it('lists every run our reader has, newest id first (strings above numbers), page by page', async () => {
    const rows = await allRunsPaged(omniboard.api(LAB), 15);
    const runs = await coreRuns(LAB);
    expect(rows.map((row) => idText(row._id)).sort()).toEqual([...runs.keys()].sort());
    const numbers = lab.generated.ids
      .map((id) => (typeof id === 'object' && id !== null ? Number(String(id)) : id))
      .filter((id): id is number => typeof id === 'number')
      .sort((a, b) => b - a);
    const strings = lab.generated.ids.filter((id): id is string => typeof id === 'string').sort();
    expect(rows.map((row) => row._id)).toEqual([...strings.reverse(), ...numbers]);
  });

  it('shows each run with our status, times, config, result, tags and notes', async () => {
    const rows = await allRunsPaged(omniboard.api(LAB), 50);
    const runs = await coreRuns(LAB);
    const altar = new Set(lab.generated.variants?.altarIds.map(String));
    for (const row of rows) {
      const run = runs.get(idText(row._id));
      expect(run, `run ${idText(row._id)}`).toBeDefined();
      if (run !== undefined) expectSameRun(row, run, altar.has(run.id));
    }
    // The annotated runs are really there to compare (not all empty).
    for (const [id, { tags, notes }] of lab.annotated) {
      expect(runs.get(String(id))?.tags).toEqual(tags);
      expect(runs.get(String(id))?.comment ?? '').toBe(notes);
    }
    expect(runs.get(String(lab.configTagged))?.tags).toEqual(['legacy', 'cpu']);
    expect(runs.get(String(lab.commented))?.comment).toBe('run from the old script');
  });

  it('computes each metric column as mongod would over the values our reader has', async () => {
    const rows = await allRunsPaged(omniboard.api(LAB), 50);
    const runs = await coreRuns(LAB);
    const nulls = await storedNulls(LAB);
    let withValues = 0;
    for (const row of rows) {
      const run = runs.get(idText(row._id));
      if (run === undefined) throw new Error(`run ${idText(row._id)} is not ours`);
      for (const column of lab.metricColumns) {
        const series = await storedSeries(LAB, run, column.metric_name, nulls);
        const expected = metricColumnValue(column, series);
        if (jsonNumber(expected) !== null) withValues++;
        expect(
          sameNumber(row[column.name], expected),
          `${column.name} of run ${run.id}: omniboard ${JSON.stringify(row[column.name])}, ours ${expected}`,
        ).toBe(true);
      }
    }
    expect(withValues).toBeGreaterThan(20);
  });

  it("gives our suggested column under each of its metric columns' names the same values", async () => {
    const api = omniboard.api(LAB);
    const rows = await allRunsPaged(api, 50);
    const runs = await coreRuns(LAB);
    const nulls = await storedNulls(LAB);
    const { columns } = await core.listColumns({ sources: [LAB] });
    const byLabel = new Map(columns.filter((c) => c.suggested).map((c) => [c.label, c.id]));
    for (const column of lab.metricColumns) {
      // No summary of ours is the mean of the last n points.
      if (column.extrema === 'last_avg') continue;
      const id = byLabel.get(column.name);
      if (id === undefined) throw new Error(`no column of ours is named ${column.name}`);
      const { rows: ours } = await core.queryRuns({ sources: [LAB], columns: [id], limit: 1000 });
      const value = new Map(ours.map((row) => [row.id, row.values[id]]));
      let compared = 0;
      for (const row of rows) {
        const run = runs.get(idText(row._id));
        if (run === undefined) continue;
        const series = await storedSeries(LAB, run, column.metric_name, nulls);
        // Our summaries leave out NaN, None and infinities; mongod's do not (see above).
        if (series === null || !series.values.every(Number.isFinite)) continue;
        const mine = value.get(run.id);
        expect(
          sameNumber(row[column.name], typeof mine === 'number' ? mine : null),
          `${column.name} (${id}) of run ${run.id}: omniboard ${JSON.stringify(row[column.name])}, ours ${JSON.stringify(mine)}`,
        ).toBe(true);
        compared++;
      }
      expect(compared, column.name).toBeGreaterThan(3);
    }
  });

  it('counts runs as our reader does, with and without the filters of its UI', async () => {
    const api = omniboard.api(LAB);
    const runs = [...(await coreRuns(LAB)).values()];
    expect(await api.count('{}')).toBe(runs.length);
    // Without a query Omniboard asks estimatedDocumentCount ($collStats count).
    expect(await api.count()).toBe(runs.length);
    const status = (value: string): string =>
      JSON.stringify({ $and: [{ $or: [{ status: { $eq: value } }] }] });
    // Its status filter applies to its computed status: stale RUNNING runs are PROBABLY_DEAD.
    for (const value of ['COMPLETED', 'FAILED', 'RUNNING', 'PROBABLY_DEAD', 'INTERRUPTED']) {
      const expected = runs.filter((run) => omniboardStatus(run, Date.now()) === value).length;
      expect(expected, value).toBeGreaterThan(0);
      expect(await api.count(status(value)), value).toBe(expected);
    }
    const tag = (value: string): string =>
      JSON.stringify({
        $and: [
          { $or: [{ 'config.tags': { $in: [value] } }, { 'omniboard.tags': { $in: [value] } }] },
        ],
      });
    for (const value of ['baseline', 'sweep', 'legacy', 'nobody']) {
      expect(await api.count(tag(value)), value).toBe(
        runs.filter((run) => run.tags.includes(value)).length,
      );
    }
    const notes = JSON.stringify({
      $and: [
        {
          $or: [
            { 'meta.comment': { $regex: 'epoch', $options: 'i' } },
            { 'omniboard.notes': { $regex: 'epoch', $options: 'i' } },
          ],
        },
      ],
    });
    expect(await api.count(notes)).toBe(
      runs.filter((run) => /epoch/iu.test(run.comment ?? '')).length,
    );
  });

  it('filters and sorts on a metric column as mongod would', async () => {
    const api = omniboard.api(LAB);
    const runs = await coreRuns(LAB);
    const nulls = await storedNulls(LAB);
    const column = lab.metricColumns.find((c) => c.extrema === 'max');
    if (column === undefined) throw new Error('no max column');
    const values = new Map<string, number | null>();
    for (const run of runs.values()) {
      values.set(
        run.id,
        metricColumnValue(column, await storedSeries(LAB, run, column.metric_name, nulls)),
      );
    }
    const finite = [...values.values()].filter(
      (v): v is number => v !== null && Number.isFinite(v),
    );
    const threshold = finite.sort((a, b) => a - b)[Math.floor(finite.length / 2)] ?? 0;
    const query = JSON.stringify({ $and: [{ [column.name]: { $gt: threshold } }] });
    const above = [...values.values()].filter((v) => v !== null && v > threshold).length;
    expect(above).toBeGreaterThan(0);
    expect(await api.count(query)).toBe(above);
    const [metricColumns, customColumns] = await Promise.all([
      api.metricColumns(),
      api.customColumns(),
    ]);
    const sorted = await api.runs({
      ...uiRunsParams(metricColumns, customColumns, 100),
      sort_by: column.name,
      order_by: -1,
      query,
    });
    const shown = sorted.map((row) => row[column.name]);
    expect(shown).toHaveLength(above);
    expect(shown).toEqual([...shown].sort((a, b) => Number(b) - Number(a)));
    for (const row of sorted) {
      expect(sameNumber(row[column.name], values.get(idText(row._id)) ?? null)).toBe(true);
    }
  });

  it("lists the tags of Omniboard's tag editor (distinct omniboard.tags)", async () => {
    const distinct = await omniboard.api(LAB).distinct('omniboard.tags');
    const expected = new Set([...lab.annotated.values()].flatMap((a) => a.tags));
    expect([...distinct].sort()).toEqual([...expected].sort());
  });
});

describe('Omniboard against the test server: one run', () => {
  it('shows every run of the lab as our run page does: output, info, metrics', async () => {
    const api = omniboard.api(LAB);
    let checked = 0;
    for (const run of (await coreRuns(LAB)).values()) {
      // Omniboard's Runs/:id matches Number(id): runs with string ids have no drill-down.
      if (!/^\d+$/u.test(run.id) || run.unreadable !== null) continue;
      if (typeof lab.generated.ids.find((id) => String(id) === run.id) === 'string') continue;
      await expectSameDrillDown(LAB, api, run);
      checked++;
    }
    expect(checked).toBeGreaterThan(25);
  });

  it("downloads each artifact with our reader's bytes, size and type, one by one and zipped", async () => {
    const api = omniboard.api(LAB);
    const runId = String(lab.generated.variants?.artifactRunId);
    const detail = await core.getRun({ source: LAB, id: runId });
    const row = await api.run(runId);
    const files = new Map((await api.artifacts(runId)).map((file) => [String(file._id), file]));
    const listed = Array.isArray(row.artifacts) ? row.artifacts.map(asDoc) : [];
    expect(listed.map((a) => a?.name)).toEqual(detail.artifacts.map((a) => a.name));
    expect(detail.artifacts.length).toBeGreaterThanOrEqual(3);
    const zipped = await unzip(await api.downloadAll(runId, 'artifacts'));
    for (const ref of detail.artifacts) {
      const fileId = String(listed.find((a) => a?.name === ref.name)?.file_id);
      const file = files.get(fileId);
      expect(file?.length, ref.name).toBe(ref.size);
      // Where fs.files has no contentType our reader guesses one from the name.
      if (typeof file?.contentType === 'string') {
        expect(file.contentType, ref.name).toBe(ref.contentType);
      }
      const ours = await readAll(
        (
          (await core.openArtifact(ref.id)) ?? {
            open: () => {
              throw new Error(`no artifact ${ref.name}`);
            },
          }
        ).open() as Readable,
      );
      const theirs = await api.download(fileId, ref.name);
      expect(theirs.equals(ours), `${ref.name}: ${theirs.length} vs ${ours.length} bytes`).toBe(
        true,
      );
      expect(zipped.get(`artifacts-${runId}/${ref.name}`)?.equals(ours), ref.name).toBe(true);
    }
    // The 600 KB file spans three GridFS chunks.
    expect(detail.artifacts.some((a) => (a.size ?? 0) > 2 * 261_120)).toBe(true);
  });

  it('shows the source files our reader shows, with the same text', async () => {
    const api = omniboard.api(LAB);
    const runId = String(lab.generated.variants?.artifactRunId);
    const detail = await core.getRun({ source: LAB, id: runId });
    const row = await api.run(runId);
    const sources = asDoc(row.experiment)?.sources;
    const pairs = Array.isArray(sources) ? sources.filter(Array.isArray) : [];
    expect(pairs.map((pair) => pair[0])).toEqual(detail.sourceFiles.map((f) => f.name));
    const files = new Set((await api.sourceFiles(runId)).map((file) => String(file._id)));
    for (const [name, fileId] of pairs) {
      expect(files.has(String(fileId)), String(name)).toBe(true);
      const ours = await core.getSourceFile({ source: LAB, id: runId, name: String(name) });
      expect((await api.preview(String(fileId))).toString('utf8'), String(name)).toBe(ours.text);
    }
    // The SourceFiles aggregation ($toObjectId join) finds the same files.
    const joined = await api.sourceFilesOfRuns(JSON.stringify({ _id: Number(runId) }));
    expect(joined.map((entry) => entry.files.map((f) => String(f._id)).sort())).toEqual([
      pairs.map((pair) => String(pair[1])).sort(),
    ]);
  });

  it("counts each source file's runs as mongod would (the delete dialog's check)", async () => {
    const api = omniboard.api(LAB);
    const users = new Map<string, Set<string>>();
    for (const doc of await writer.db(LAB).collection('runs').find({}).toArray()) {
      const sources = (doc as Document).experiment?.sources;
      if (!Array.isArray(sources)) continue;
      for (const pair of sources) {
        if (!Array.isArray(pair)) continue;
        const key = String(pair[1]);
        users.set(key, (users.get(key) ?? new Set()).add(String(doc._id)));
      }
    }
    const shared = [...users.values()].some((runs) => runs.size > 1);
    expect(shared).toBe(true);
    for (const runId of lab.generated.ids.filter((id) => typeof id === 'number').slice(0, 8)) {
      const counts = await api.sourceFilesCount(String(runId));
      const expected = [...users.entries()]
        .filter(([, runs]) => runs.has(String(runId)))
        .map(([fileId, runs]) => ({ _id: fileId, count: runs.size }));
      expect(
        counts
          .map((c) => ({ _id: String(c._id), count: c.count }))
          .sort((a, b) => (a._id < b._id ? -1 : 1)),
        `run ${String(runId)}`,
      ).toEqual(expected.sort((a, b) => (a._id < b._id ? -1 : 1)));
    }
  });
});

describe('Omniboard against the test server: column editors and compare views', () => {
  it('offers the metric names and distinct configs our reader has', async () => {
    const api = omniboard.api(LAB);
    const runs = [...(await coreRuns(LAB)).values()];
    const names = new Set(runs.flatMap((run) => run.metrics.map((m) => m.name)));
    expect([...(await api.metricNames())].sort()).toEqual([...names].sort());
    // distinct of a whole object (the custom column editor walks every config's paths).
    const odd = new Set([
      lab.generated.variants?.badConfigId,
      lab.generated.variants?.bareDocumentId,
    ]);
    const expected = new Set(
      runs
        .filter((run) => !odd.has(Number(run.id)))
        .map((run) => JSON.stringify(asOmniboardJson(run.config))),
    );
    expected.add(JSON.stringify('not an object'));
    const distinct = (await api.distinct('config')).map((config) => JSON.stringify(config));
    expect(distinct.sort()).toEqual([...expected].sort());
  });

  it("serves two runs' configs, outputs and metrics (with the run populated) as our reader has them", async () => {
    const api = omniboard.api(LAB);
    const runs = await coreRuns(LAB);
    const pair = [...runs.values()]
      .filter((run) => /^\d+$/u.test(run.id) && run.metrics.length > 0)
      .slice(0, 2);
    const ids = pair.map((run) => Number(run.id));
    expect(ids).toHaveLength(2);
    const configs = await api.compareRuns(ids, '_id,config');
    const outputs = await api.compareRuns(ids, '_id,captured_out');
    for (const run of pair) {
      const id = Number(run.id);
      expect(configs.find((row) => row._id === id)?.config).toEqual(asOmniboardJson(run.config));
      const output = await core.getCapturedOutput({ source: LAB, id: run.id, maxBytes: 1 << 26 });
      expect(outputs.find((row) => row._id === id)?.captured_out ?? '').toBe(output.text);
    }
    const metrics = await api.compareMetrics(ids);
    expect(metrics.map((doc) => `${String(doc.run_id)}/${String(doc.name)}`).sort()).toEqual(
      pair.flatMap((run) => run.metrics.map((m) => `${run.id}/${m.name}`)).sort(),
    );
    for (const doc of metrics) {
      const populated = Array.isArray(doc.run) ? doc.run.map(asDoc) : [];
      expect(populated.map((run) => run?._id)).toEqual([doc.run_id]);
      const run = populated[0];
      expect(run).not.toHaveProperty('captured_out');
      expect(asDoc(run?.info)).not.toHaveProperty('metrics');
      expect(run?.config).toEqual(asOmniboardJson(runs.get(String(doc.run_id))?.config));
    }
  });
});

describe('Omniboard against the test server: real Sacred 0.8.7 samples', () => {
  it('shows the real completed run, its dotted metric columns and its NaN, as our reader does', async () => {
    const source = samples.completed ?? '';
    const api = omniboard.api(source);
    const rows = await allRunsPaged(api, 50);
    const runs = await coreRuns(source);
    expect(rows.map((row) => idText(row._id))).toEqual([...runs.keys()]);
    const run = runs.get('1');
    const row = rows[0];
    if (run === undefined || row === undefined) throw new Error('the sample run is missing');
    expectSameRun(row, run, false);
    expect(row.lr).toBeUndefined(); // custom columns are resolved by the UI from config
    expect(asDoc(row.config)?.lr).toBe(0.02);
    const nulls = await storedNulls(source);
    for (const column of SAMPLE_COLUMNS) {
      const expected = metricColumnValue(
        column,
        await storedSeries(source, run, column.metric_name, nulls),
      );
      expect(sameNumber(row[column.name], expected), column.name).toBe(true);
    }
    // val.acc holds a NaN: mongod's $min is NaN (null in JSON), $max skips it.
    expect(row.acc_min).toBeNull();
    expect(row.acc_max).toBe(0.4);
    await expectSameDrillDown(source, api, run);
  });

  it('shows the failed, interrupted and queued samples as our reader does', async () => {
    for (const kind of ['failed', 'interrupted', 'queued']) {
      const source = samples[kind] ?? '';
      const api = omniboard.api(source);
      const rows = await allRunsPaged(api, 50);
      const run = (await coreRuns(source)).get('1');
      if (run === undefined || rows[0] === undefined) throw new Error(`${kind}: no run`);
      expect(rows).toHaveLength(1);
      expectSameRun(rows[0], run, false);
      await expectSameDrillDown(source, api, run);
      expect(await api.count('{}')).toBe(1);
    }
  });
});

describe('Omniboard against the test server: its log', () => {
  it('logged no server error while serving all of the above', () => {
    // Its request log shows only successes; a GridFS or aggregation failure would show here
    // even where the HTTP answer hid it (e.g. a stream error after the headers went out).
    expect(omniboard.output()).toMatch(/"GET \/lab\/api\/v1\/Runs\?/u);
    expect(omniboard.output()).not.toMatch(/Error|error occurred|" 5\d\d /u);
  });
});
