// Issue 10 §4: run ids and values as Sacred wrote them, through the core (the UI's door) and
// the CLI on the same cache. A Sacred folder with numbered runs 1..12, a string id and an
// ObjectId-like id; statuses typed in any case; a custom status.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { AltarError } from '../../shared/errors';
import type { FilterNode } from '../../shared/filter';
import { quickSearchFilter } from '../../renderer/src/model/quick-search';
import {
  COMMENT_TEXT,
  FAST_POINTS,
  IDS_IN_ORDER,
  INFO_NOTES_TEXT,
  NAN_RUN,
  NOTES_RUN,
  OBJECT_ID,
  ODD_VALUES_RUN,
  STRING_ID,
  writeIdValueRuns,
} from '../support/id-value-runs';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let ws: Workspace;
let core: AltarCore;

beforeAll(async () => {
  ws = workspace();
  const folder = join(ws.root, 'runs');
  writeIdValueRuns(folder);
  core = createAltarCore({ dataDir: ws.dataDir, door: 'direct' });
  await core.addFolderSource({ name: 'lab', path: folder });
  await core.syncSources({});
});

afterAll(async () => {
  await core.close();
  ws.remove();
});

async function ids(where: string | FilterNode | null | undefined, desc = false): Promise<string[]> {
  const result = await core.queryRuns({
    ...(where === undefined || where === null ? {} : { where }),
    sort: [{ column: 'id', desc }],
    columns: ['id'],
    limit: 100,
  });
  return result.rows.map((row) => row.id);
}

async function failure(where: string): Promise<AltarError> {
  const error = await core.queryRuns({ where }).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AltarError);
  return error as AltarError;
}

describe('run ids', () => {
  it('sort numbers as numbers, then text ids, then ObjectIds; --desc reverses it', async () => {
    expect(await ids(undefined)).toEqual(IDS_IN_ORDER);
    expect(await ids(undefined, true)).toEqual([...IDS_IN_ORDER].reverse());
  });

  it('filter as numbers', async () => {
    expect(await ids('id > 10')).toEqual(['11', '12']);
    expect(await ids('id = 3')).toEqual(['3']);
    expect(await ids('id in (2, 10)')).toEqual(['2', '10']);
    expect(await ids('id <= 2 or id = "12"')).toEqual(['1', '2', '12']);
  });

  it('keep string ids working: equality, contains and the quick search', async () => {
    expect(await ids(`id = ${STRING_ID}`)).toEqual([STRING_ID]);
    expect(await ids(`id = "${OBJECT_ID}"`)).toEqual([OBJECT_ID]);
    expect(await ids('id contains "1"')).toEqual(['1', '10', '11', '12', OBJECT_ID]);
    expect(await ids('id ~ "^my"')).toEqual([STRING_ID]);
  });

  it('keep the id text in row values and exports', async () => {
    const result = await core.queryRuns({ where: 'id = 10', columns: ['id'] });
    expect(result.rows[0]?.values['id']).toBe('10');
  });
});

describe('status values', () => {
  it('match Sacred statuses in any case', async () => {
    const upper = await ids('status = COMPLETED');
    expect(upper.length).toBe(11);
    expect(await ids('status = completed')).toEqual(upper);
    expect(await ids('status in (failed, Preempted)')).toEqual(['2', '9', '11']);
    expect(await ids('status != completed')).toEqual(['2', '9', '11']);
  });

  it('refuse an unknown status, listing the valid ones', async () => {
    const error = await failure('status = complete');
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('unknown status "complete"');
    expect(error.message).toContain('COMPLETED');
    expect(error.message).toContain('PREEMPTED');
  });
});

// Each CLI call starts Node with tsx: seconds on a busy machine.
describe('the CLI', () => {
  it('sorts and filters ids as numbers, like the core', async () => {
    const args = ['--data-dir', ws.dataDir, 'runs', '--where', 'id > 10', '--sort', 'id'];
    const csv = await runCli([...args, '--columns', 'id,status', '--format', 'csv']);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    const rows = Papa.parse<string[]>(csv.stdout.trimEnd()).data;
    expect(rows.map((row) => row[rows[0]!.indexOf('id')])).toEqual(['id', '11', '12']);
    const all = await runCli([
      '--data-dir',
      ws.dataDir,
      'runs',
      '--sort',
      'id',
      '--desc',
      '--columns',
      'id',
      '--format',
      'json',
    ]);
    expect(all.code).toBe(0);
    const listed = (JSON.parse(all.stdout) as { id: string }[]).map((row) => row.id);
    expect(listed).toEqual([...IDS_IN_ORDER].reverse());
  }, 120_000);

  it('exits 2 on an unknown status and names the valid ones', async () => {
    const result = await runCli(['--data-dir', ws.dataDir, 'runs', '--where', 'status = done']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown status "done"');
    expect(result.stderr).toContain('COMPLETED');
  }, 120_000);
});

describe('notes', () => {
  it('are omniboard.notes else meta.comment on the run page and in the table alike', async () => {
    const run = await core.getRun({ source: 'lab', id: NOTES_RUN });
    expect(run.comment).toBe(COMMENT_TEXT);
    expect(run.info['notes']).toBe(INFO_NOTES_TEXT);
    const result = await core.queryRuns({ where: `id = ${NOTES_RUN}`, columns: ['notes'] });
    expect(result.rows[0]?.values['notes']).toBe(COMMENT_TEXT);
  });

  it('are found by the quick search, and so is info.notes', async () => {
    expect(await ids(quickSearchFilter('BIG NODE'))).toEqual([NOTES_RUN]);
    expect(await ids(quickSearchFilter('zebra'))).toEqual([NOTES_RUN]);
  });
});

describe('NaN metric points', () => {
  it('are counted in the summary and the series', async () => {
    const run = await core.getRun({ source: 'lab', id: NAN_RUN });
    const loss = run.metrics.find((metric) => metric.name === 'loss');
    expect(loss).toMatchObject({ count: 2, nonFinite: 1, min: 1.5, max: 1.5 });
    const series = await core.getMetric({ source: 'lab', id: NAN_RUN, name: 'loss' });
    expect([...series.values]).toEqual([NaN, 1.5]);
    expect(series.nonFinitePoints).toBe(1);
  });
});

describe('metric times', () => {
  it('keep the microseconds Sacred wrote: 1000 points over 4 ms are 1000 distinct times', async () => {
    const series = await core.getMetric({ source: 'lab', id: NAN_RUN, name: 'fast' });
    const times = [...series.timestamps];
    expect(times).toHaveLength(FAST_POINTS);
    expect(new Set(times).size).toBe(FAST_POINTS);
    expect((times.at(-1) as number) - (times[0] as number)).toBeCloseTo(3.996, 3);
    // The plot's downsampled read keeps them too.
    const plotted = await core.getMetric({
      source: 'lab',
      id: NAN_RUN,
      name: 'fast',
      maxPoints: 50,
    });
    const gaps = [...plotted.timestamps]
      .slice(1)
      .map((t, i) => t - (plotted.timestamps[i] as number));
    expect(gaps.every((gap) => gap > 0 && gap < 1)).toBe(true);
  });
});

describe('values that could not be kept as written', () => {
  it('are counted and shown as notes on the run, never changed silently', async () => {
    const run = await core.getRun({ source: 'lab', id: ODD_VALUES_RUN });
    const notes = run.warnings.join('\n');
    expect(notes).toContain('metric "acc": 2 values were not numbers (kept as NaN)');
    expect(notes).toContain('metric "acc": 1 time was not a readable time (kept as no time)');
    expect(notes).toContain('heartbeat "yesterday" is not a readable time (shown as none)');
    expect(run.heartbeat).toBeNull();
    const acc = await core.getMetric({ source: 'lab', id: ODD_VALUES_RUN, name: 'acc' });
    expect([...acc.values]).toEqual([0.5, NaN, 0.75, NaN]);
    expect(Number.isNaN(acc.timestamps[1])).toBe(true);
    // A run whose values were all numbers has no such note.
    const clean = await core.getRun({ source: 'lab', id: '1' });
    expect(clean.warnings).toEqual([]);
  });
});

describe('the column picker', () => {
  it('counts the distinct values of each metric summary, not those of .last for all', async () => {
    const { columns } = await core.listColumns({});
    const distinct = (id: string): number | undefined =>
      columns.find((column) => column.id === id)?.distinct;
    // 13 runs log `loss` (12 with their own values, run 3 with [NaN, 1.5]), all with 2 points.
    expect(distinct('metrics.loss.last')).toBe(13);
    expect(distinct('metrics.loss.min')).toBe(13);
    expect(distinct('metrics.loss.max')).toBe(13);
    expect(distinct('metrics.loss.mean')).toBe(13);
    expect(distinct('metrics.loss.count')).toBe(1);
    expect(distinct('metrics.acc.count')).toBe(1);
  });

  it('keeps them right after a run changes (the change log, not a rebuild)', async () => {
    // Its own folder and cache: tests run in a shuffled order and this one rewrites a run.
    const own = workspace();
    const folder = join(own.root, 'runs');
    writeIdValueRuns(folder);
    const mine = createAltarCore({ dataDir: own.dataDir, door: 'direct' });
    try {
      await mine.addFolderSource({ name: 'lab', path: folder });
      await mine.syncSources({});
      const distinct = async (id: string): Promise<number | undefined> =>
        (await mine.listColumns({})).columns.find((column) => column.id === id)?.distinct;
      expect(await distinct('metrics.loss.count')).toBe(1);
      writeFileSync(
        join(folder, '12', 'metrics.json'),
        '{"loss": {"steps": [0, 1, 2], "timestamps": ["2026-11-26T21:32:02", "2026-11-26T21:32:03", "2026-11-26T21:32:04"], "values": [5, 6, 7]}}',
      );
      await mine.syncSources({});
      expect(await distinct('metrics.loss.count')).toBe(2);
      expect(await distinct('metrics.loss.last')).toBe(13);
      expect(await distinct('metrics.loss.min')).toBe(13);
    } finally {
      await mine.close();
      own.remove();
    }
  });
});
