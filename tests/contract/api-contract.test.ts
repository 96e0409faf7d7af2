// One table of calls, run in order through the three doors (direct core, HTTP host, IPC host):
// every door must give the same result or the very same error payload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/client-api';
import { isMethodName, methods } from '../../shared/contract';
import type { MetricSeries } from '../../shared/contract';
import { unpackMetricBatch } from '../../shared/metric-batch';
import type { ErrorCode } from '../../shared/errors';
import { ipcChannels } from '../../shared/client-api';
import { openDoor, makeWorkspace, trustedSender } from './doors';
import type { Door, DoorName, HttpDoor, IpcDoor, Workspace } from './doors';

interface Case {
  title: string;
  method: string;
  /** A function so cases can use the workspace paths, which exist only once it is made. */
  args: (ws: Workspace) => unknown;
  expect: 'ok' | ErrorCode;
  /** Doors that can express the call at all (an unknown method has no IPC channel). */
  doors?: DoorName[];
  /**
   * The HTTP status of a protocol fault (a request the door refuses before the core sees
   * it); without it, an error is a result the user reads: 200 with the error in the envelope.
   */
  httpStatus?: number;
  /** Extra checks on each door's successful result. */
  check?: (result: unknown, door: DoorName) => void;
}

const source = 'completed';

const cases: Case[] = [
  {
    title: 'getAppInfo tells which door answers',
    method: 'getAppInfo',
    args: () => ({}),
    expect: 'ok',
    check: (result, door) => {
      const info = methods.getAppInfo.result.parse(result);
      expect(info.door).toBe(door === 'ipc' ? 'electron' : door);
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/u);
    },
  },
  {
    title: 'no sources at first',
    method: 'listSources',
    args: () => ({}),
    expect: 'ok',
    check: (r) => expect(r).toEqual([]),
  },
  {
    title: 'addFolderSource on a real Sacred folder',
    method: 'addFolderSource',
    args: (ws) => ({ name: source, path: ws.runFolder }),
    expect: 'ok',
    check: (result) => {
      const info = methods.addFolderSource.result.parse(result);
      expect(info).toMatchObject({ name: source, kind: 'folder', online: true });
    },
  },
  {
    title: 'a second source with the same name is refused',
    method: 'addFolderSource',
    args: (ws) => ({ name: source, path: ws.runFolder }),
    expect: 'ALREADY_EXISTS',
  },
  {
    title: 'a folder that does not exist',
    method: 'addFolderSource',
    args: (ws) => ({ name: 'gone', path: `${ws.root}/no-such-folder` }),
    expect: 'SOURCE_UNAVAILABLE',
  },
  {
    title: 'a source name with forbidden characters',
    method: 'addFolderSource',
    args: (ws) => ({ name: 'my runs!', path: ws.runFolder }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'syncSources reads both runs',
    method: 'syncSources',
    args: () => ({}),
    expect: 'ok',
    check: (result) => {
      const [summary] = methods.syncSources.result.parse(result);
      expect(summary).toMatchObject({ source, added: 2, removed: 0 });
    },
  },
  {
    title: 'updateTrustedFolders trusts an absolute folder',
    method: 'updateTrustedFolders',
    args: (ws) => ({ source, add: [ws.rendererDir] }),
    expect: 'ok',
    check: (result) => {
      const info = methods.updateTrustedFolders.result.parse(result);
      expect(info.trustedFolders).toHaveLength(1);
    },
  },
  {
    title: 'updateTrustedFolders forgets it again',
    method: 'updateTrustedFolders',
    args: (ws) => ({ source, remove: [ws.rendererDir] }),
    expect: 'ok',
    check: (result) =>
      expect(methods.updateTrustedFolders.result.parse(result).trustedFolders).toEqual([]),
  },
  {
    title: 'updateTrustedFolders refuses a relative path',
    method: 'updateTrustedFolders',
    args: () => ({ source, add: ['runs/../elsewhere'] }),
    expect: 'INVALID_ARGUMENT',
  },
  {
    title: 'updateTrustedFolders refuses the whole disk',
    method: 'updateTrustedFolders',
    args: () => ({ source, add: ['/'] }),
    expect: 'INVALID_ARGUMENT',
  },
  {
    title: 'updateTrustedFolders of a source that does not exist',
    method: 'updateTrustedFolders',
    args: (ws) => ({ source: 'other', add: [ws.rendererDir] }),
    expect: 'NOT_FOUND',
  },
  {
    title: 'cancelSync with no sync running cancels nothing',
    method: 'cancelSync',
    args: () => ({ source }),
    expect: 'ok',
    check: (result) =>
      expect(methods.cancelSync.result.parse(result)).toEqual({ cancelled: false }),
  },
  {
    title: 'cancelSync of a source that does not exist',
    method: 'cancelSync',
    args: () => ({ source: 'other' }),
    expect: 'NOT_FOUND',
  },
  {
    title: 'listRuns lists the numbered and the custom-id run',
    method: 'listRuns',
    args: () => ({}),
    expect: 'ok',
    check: (result) => {
      const page = methods.listRuns.result.parse(result);
      expect(page.total).toBe(2);
      expect(page.runs.map((run) => run.id).sort()).toEqual(['1', 'myrun7']);
    },
  },
  {
    title: 'listRuns pages with limit',
    method: 'listRuns',
    args: () => ({ source, limit: 1 }),
    expect: 'ok',
    check: (result) => {
      const page = methods.listRuns.result.parse(result);
      expect(page.runs).toHaveLength(1);
      expect(page.total).toBe(2);
    },
  },
  {
    title: 'getRun returns the detail of run 1',
    method: 'getRun',
    args: () => ({ source, id: '1' }),
    expect: 'ok',
    check: (result) => {
      const run = methods.getRun.result.parse(result);
      expect(run.status).toBe('COMPLETED');
      expect(run.artifacts.map((a) => a.name)).toEqual(['model.txt']);
      expect(run.metrics.map((m) => m.name).sort()).toEqual(['train.loss', 'val.acc']);
    },
  },
  {
    title: 'getRuns answers each run as getRun does, and an unknown run or source in its place',
    method: 'getRuns',
    args: () => ({
      runs: [
        { source, id: '999' },
        { source, id: '1' },
        { source: 'other', id: '1' },
        { source, id: 'myrun7' },
      ],
    }),
    expect: 'ok',
    check: (result) => {
      const { runs } = methods.getRuns.result.parse(result);
      expect(runs).toHaveLength(4);
      expect(runs[0]).toEqual({
        error: { code: 'NOT_FOUND', message: 'Source "completed" has no run "999".' },
      });
      expect(runs[1]).toMatchObject({ source, id: '1', status: 'COMPLETED' });
      const one = methods.getRun.result.parse(runs[1]);
      expect(one.artifacts.map((a) => a.name)).toEqual(['model.txt']);
      expect(one.metrics.map((m) => m.name).sort()).toEqual(['train.loss', 'val.acc']);
      expect(runs[2]).toEqual({
        error: { code: 'NOT_FOUND', message: 'There is no source named "other".' },
      });
      expect(runs[3]).toMatchObject({ source, id: 'myrun7' });
    },
  },
  {
    title: 'getRuns with no run',
    method: 'getRuns',
    args: () => ({ runs: [] }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'getRuns with a key that is not a run key',
    method: 'getRuns',
    args: () => ({ runs: [{ source, id: '1', admin: true }] }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'getRuns with a bare list instead of { runs }',
    method: 'getRuns',
    args: () => [{ source, id: '1' }],
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'getMetric keeps typed arrays and NaN points',
    method: 'getMetric',
    args: () => ({ source, id: '1', name: 'val.acc' }),
    expect: 'ok',
    check: (result) => {
      const series = methods.getMetric.result.parse(result);
      expect(series.values).toBeInstanceOf(Float64Array);
      expect(series.steps).toBeInstanceOf(Float64Array);
      expect(series.timestamps).toBeInstanceOf(Float64Array);
      expect(series.values).toHaveLength(5);
      expect(Array.from(series.values).filter((v) => Number.isNaN(v))).toHaveLength(1);
      expect(Array.from(series.steps)).toEqual([0, 10, 20, 30, 40]);
    },
  },
  {
    title: 'getMetric downsampled to 2 points',
    method: 'getMetric',
    args: () => ({ source, id: '1', name: 'train.loss', maxPoints: 2 }),
    expect: 'ok',
    check: (result) => {
      const series = methods.getMetric.result.parse(result);
      expect(series.totalPoints).toBe(7);
      expect(series.downsampled).toBe(true);
      expect(series.values.length).toBeLessThan(7);
    },
  },
  {
    title: 'getMetric of a metric the run does not have',
    method: 'getMetric',
    args: () => ({ source, id: '1', name: 'no.such.metric' }),
    expect: 'NOT_FOUND',
  },
  {
    title: 'getMetrics answers every trace of a plot in one call, as getMetric does',
    method: 'getMetrics',
    args: () => ({
      traces: [
        { source, id: '1', name: 'val.acc' },
        { source, id: '1', name: 'train.loss', xMin: 1, xMax: 4 },
      ],
      maxPoints: 100,
    }),
    expect: 'ok',
    check: (result) => {
      const [acc, loss] = unpackMetricBatch(methods.getMetrics.result.parse(result));
      expect(acc).toMatchObject({ name: 'val.acc', totalPoints: 5, downsampled: false });
      expect(Array.from((acc as MetricSeries).steps)).toEqual([0, 10, 20, 30, 40]);
      // The NaN point survives every door (raw bytes in a frame over HTTP, structured clone over IPC).
      expect(Array.from((acc as MetricSeries).values).filter(Number.isNaN)).toHaveLength(1);
      // The zoomed trace: only the steps in [1, 4] and one neighbour each side of them.
      expect(loss).toMatchObject({ name: 'train.loss', totalPoints: 7, downsampled: false });
      const inRange = (loss as MetricSeries).pointsInRange ?? 0;
      expect(inRange).toBeGreaterThan(0);
      expect(inRange).toBeLessThan(7);
      expect((loss as MetricSeries).values).toBeInstanceOf(Float64Array);
      expect((loss as MetricSeries).values.length).toBeLessThanOrEqual(inRange + 2);
    },
  },
  {
    title: 'getMetrics gives a trace the run does not have its own NOT_FOUND',
    method: 'getMetrics',
    args: () => ({
      traces: [
        { source, id: '1', name: 'no.such.metric' },
        { source, id: '1', name: 'val.acc' },
      ],
    }),
    expect: 'ok',
    check: (result) => {
      const [missing, acc] = unpackMetricBatch(methods.getMetrics.result.parse(result));
      expect(missing).toEqual({
        error: {
          code: 'NOT_FOUND',
          message: 'Run "1" of "completed" has no metric "no.such.metric".',
        },
      });
      expect(acc).toMatchObject({ name: 'val.acc', totalPoints: 5 });
    },
  },
  {
    title: 'getMetrics with no trace',
    method: 'getMetrics',
    args: () => ({ traces: [] }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'getSourceFile reads a stored source',
    method: 'getSourceFile',
    args: () => ({ source, id: '1', name: 'helper.py' }),
    expect: 'ok',
    check: (result) => {
      const file = methods.getSourceFile.result.parse(result);
      expect(file.truncated).toBe(false);
      expect(file.text.length).toBeGreaterThan(0);
    },
  },
  {
    title: 'getSourceFile of a file the run does not reference',
    method: 'getSourceFile',
    args: () => ({ source, id: '1', name: 'nope.py' }),
    expect: 'NOT_FOUND',
  },
  {
    title: 'getCapturedOutput returns cout.txt',
    method: 'getCapturedOutput',
    args: () => ({ source, id: '1' }),
    expect: 'ok',
    check: (result) => {
      const out = methods.getCapturedOutput.result.parse(result);
      expect(out.text).toContain('Started run with ID "1"');
    },
  },
  {
    title: 'a run that does not exist',
    method: 'getRun',
    args: () => ({ source, id: '999' }),
    expect: 'NOT_FOUND',
  },
  {
    title: 'a source that does not exist',
    method: 'getRun',
    args: () => ({ source: 'other', id: '1' }),
    expect: 'NOT_FOUND',
  },
  {
    title: 'wrong type',
    method: 'getRun',
    args: () => ({ source: 1, id: '1' }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'extra key',
    method: 'getRun',
    args: () => ({ source, id: '1', admin: true }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'missing key',
    method: 'getRun',
    args: () => ({ source }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'arguments not an object',
    method: 'getRun',
    args: () => 'run 1',
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'out-of-range number',
    method: 'listRuns',
    args: () => ({ limit: 0 }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'string where a number belongs',
    method: 'listRuns',
    args: () => ({ limit: '10' }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'arguments for a method that takes none',
    method: 'getAppInfo',
    args: () => ({ x: 1 }),
    expect: 'INVALID_ARGUMENT',
    httpStatus: 400,
  },
  {
    title: 'unknown method',
    method: 'dropDatabase',
    args: () => ({}),
    expect: 'UNKNOWN_METHOD',
    httpStatus: 404,
    doors: ['http'],
  },
  {
    title: 'prototype keys are not methods',
    method: '__proto__',
    args: () => ({}),
    expect: 'UNKNOWN_METHOD',
    httpStatus: 404,
    doors: ['http'],
  },
  {
    title: 'removeSource',
    method: 'removeSource',
    args: () => ({ name: source }),
    expect: 'ok',
    check: (result) => expect(result).toEqual({ removed: true }),
  },
  {
    title: 'a removed source has no runs',
    method: 'listRuns',
    args: () => ({ source }),
    expect: 'NOT_FOUND',
  },
];

const doorNames: DoorName[] = ['direct', 'http', 'ipc'];

/** Values that legitimately differ between doors (where the data lives, clocks, the door). */
function normalize(method: string, value: unknown): unknown {
  return canonical(value, (key, v) => {
    if (method === 'getAppInfo' && (key === 'dataDir' || key === 'door')) return `<${key}>`;
    if (key === 'seconds' && typeof v === 'number') return '<seconds>';
    if (key === 'lastSyncAt' && typeof v === 'string') return '<time>';
    return v;
  });
}

/** Typed arrays as tagged number lists with NaN spelled out, so equality is exact. */
function canonical(
  value: unknown,
  replace: (key: string, v: unknown) => unknown,
  key = '',
): unknown {
  const v = replace(key, value);
  if (v instanceof Float64Array)
    return { f64: Array.from(v, (n) => (Number.isNaN(n) ? 'NaN' : n)) };
  if (Array.isArray(v)) return v.map((item) => canonical(item, replace));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, item]) => [k, canonical(item, replace, k)]),
    );
  }
  return v;
}

interface Outcome {
  envelope: Envelope<unknown>;
  status?: number;
}

const outcomes = new Map<DoorName, Outcome[]>();
let workspace: Workspace;
const doors: Door[] = [];

beforeAll(async () => {
  workspace = makeWorkspace();
  for (const name of doorNames) {
    const door = await openDoor(name, workspace);
    doors.push(door);
    const list: Outcome[] = [];
    for (const c of cases) {
      if (c.doors && !c.doors.includes(name)) {
        list.push({
          envelope: { ok: false, error: { code: 'INTERNAL', message: 'not run on this door' } },
        });
        continue;
      }
      const envelope = await door.call(c.method, c.args(workspace));
      list.push({ envelope, status: name === 'http' ? (door as HttpDoor).lastStatus : undefined });
    }
    outcomes.set(name, list);
  }
});

afterAll(async () => {
  for (const door of doors) await door.close();
  workspace?.remove();
});

describe.each(cases.map((c, index) => ({ ...c, index })))('$method: $title', (c) => {
  const applicable = doorNames.filter((name) => !c.doors || c.doors.includes(name));

  it(`answers ${c.expect} through ${applicable.join(', ')}`, () => {
    for (const name of applicable) {
      const { envelope, status } = outcomes.get(name)![c.index]!;
      if (c.expect === 'ok') {
        expect(envelope, `${name}: ${JSON.stringify(envelope).slice(0, 300)}`).toMatchObject({
          ok: true,
        });
        if (!envelope.ok) continue;
        if (isMethodName(c.method)) methods[c.method].result.parse(envelope.result);
        c.check?.(envelope.result, name);
        if (status !== undefined) expect(status).toBe(200);
      } else {
        expect(envelope.ok, `${name} should fail`).toBe(false);
        if (envelope.ok) continue;
        expect(envelope.error.code, `${name}: ${envelope.error.message}`).toBe(c.expect);
        expect(Object.keys(envelope.error).sort()).toEqual(['code', 'message']);
        expect(envelope.error.message).not.toMatch(/\n\s+at /u);
        // User errors are results (200), so a browser logs no "Failed to load resource".
        if (status !== undefined) expect(status).toBe(c.httpStatus ?? 200);
      }
    }
  });

  it('gives the same result or the same error message through every door', () => {
    const [first, ...rest] = applicable.map((name) =>
      normalize(c.method, outcomes.get(name)![c.index]!.envelope),
    );
    for (const other of rest) expect(other).toEqual(first);
  });
});

describe('IPC door specifics', () => {
  it('has neither a bridge function nor a channel for a method outside the contract', async () => {
    const ipc = doors.find((d) => d.name === 'ipc') as IpcDoor;
    expect(ipc.bridge.dropDatabase).toBeUndefined();
    await expect(
      ipc.ipc.invoke(trustedSender, ipcChannels.invoke('dropDatabase'), {}),
    ).rejects.toThrow(/No handler registered/u);
  });
});
