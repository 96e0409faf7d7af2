// getMetrics (issue 13): a plot's traces in one call must draw exactly what one getMetric per
// trace drew: the same downsampling, step ranges and NaN/±Infinity handling, an unreadable
// trace failing alone, and arguments outside the contract refusing the whole call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { CacheStore } from '../../main/core/cache/cache-store';
import { METRIC_CHUNK_POINTS } from '../../main/core/cache/float64-blob';
import { cacheFilePath } from '../../main/core/data-dir';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { MetricSeries } from '../../shared/contract';
import type { MetricTraceQuery } from '../../shared/contract/metrics-methods';
import { toErrorPayload } from '../../shared/errors';
import type { ErrorPayload } from '../../shared/errors';
import { unpackMetricBatch } from '../../shared/metric-batch';

const SOURCE = 'lab';
/** Three chunks and a bit: range reads cross chunk boundaries. */
const LONG = 3 * METRIC_CHUNK_POINTS + 1234;

let work: string;
let core: AltarCore;

function series(n: number, value: (i: number) => number, step: (i: number) => number = (i) => i) {
  return {
    steps: Float64Array.from({ length: n }, (_, i) => step(i)),
    values: Float64Array.from({ length: n }, (_, i) => value(i)),
    timestamps: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 25),
  };
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'altar-metric-batch-'));
  const dataDir = path.join(work, 'data');
  const store = CacheStore.open(cacheFilePath(dataDir));
  try {
    store.addSource({
      name: SOURCE,
      kind: 'folder',
      location: work,
      createdAt: '2024-01-01T00:00:00Z',
    });
    const one = emptyParsedRun('1', 'COMPLETED');
    one.metrics.push({
      name: 'loss',
      // A spike, a NaN gap and infinities the downsampling must keep (or count) as getMetric does.
      ...series(LONG, (i) =>
        i === 70_000
          ? 50
          : i >= 100_000 && i < 100_040
            ? NaN
            : i === 150_000
              ? Infinity
              : i === 150_001
                ? -Infinity
                : Math.exp(-i / 50_000) + ((i * 7919) % 101) / 1000,
      ),
    });
    one.metrics.push({
      name: 'acc',
      ...series(
        5,
        (i) => (i === 2 ? NaN : i / 10),
        (i) => i * 10,
      ),
    });
    const two = emptyParsedRun('2', 'COMPLETED');
    // Steps that repeat and go back (Sacred allows it): a range keeps what lies in it.
    two.metrics.push({
      name: 'loss',
      ...series(
        3000,
        (i) => 1 / (i + 1),
        (i) => i % 1000,
      ),
    });
    store.writeRun(SOURCE, { id: '1', dir: null, fingerprint: 'a' }, one);
    store.writeRun(SOURCE, { id: '2', dir: null, fingerprint: 'b' }, two);
  } finally {
    store.close();
  }
  core = createAltarCore({ dataDir, door: 'direct' });
});

afterAll(async () => {
  await core?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Each trace as the single calls answer it: its series or the error it is refused with. */
async function oneByOne(
  traces: MetricTraceQuery[],
  maxPoints?: number,
): Promise<(MetricSeries | { error: ErrorPayload })[]> {
  return Promise.all(
    traces.map((trace) =>
      core.getMetric({ ...trace, ...(maxPoints === undefined ? {} : { maxPoints }) }).then(
        (answer) => answer,
        (error: unknown) => ({ error: toErrorPayload(error) }),
      ),
    ),
  );
}

/** Typed arrays as plain arrays (toEqual compares NaN as equal, and Float64Array views as copies). */
function plain(entry: MetricSeries | { error: ErrorPayload }) {
  if ('error' in entry) return entry;
  return {
    ...entry,
    steps: Array.from(entry.steps),
    values: Array.from(entry.values),
    timestamps: Array.from(entry.timestamps),
  };
}

const TRACES: MetricTraceQuery[] = [
  { source: SOURCE, id: '1', name: 'loss' },
  { source: SOURCE, id: '1', name: 'acc' },
  { source: SOURCE, id: '2', name: 'loss' },
  { source: SOURCE, id: '1', name: 'loss', xMin: 60_000, xMax: 160_000 },
  { source: SOURCE, id: '1', name: 'loss', xMin: 99_990, xMax: 100_100 },
  { source: SOURCE, id: '1', name: 'loss', xMin: 190_000 },
  { source: SOURCE, id: '1', name: 'loss', xMax: 12.5 },
  { source: SOURCE, id: '1', name: 'loss', xMin: 5e6, xMax: 6e6 },
  { source: SOURCE, id: '2', name: 'loss', xMin: 100, xMax: 200 },
  { source: SOURCE, id: '1', name: 'acc', xMin: 15, xMax: 35 },
];

describe('getMetrics answers what one getMetric per trace answers', () => {
  it.each([undefined, 2, 7, 400, 4000])('with maxPoints %s', async (maxPoints) => {
    const batch = await core.getMetrics({
      traces: TRACES,
      ...(maxPoints === undefined ? {} : { maxPoints }),
    });
    const entries = unpackMetricBatch(batch);
    expect(entries).toHaveLength(TRACES.length);
    expect(entries.map(plain)).toEqual((await oneByOne(TRACES, maxPoints)).map(plain));
  });

  it('keeps the spike, counts the non-finite points and says when it downsampled', async () => {
    const [whole, zoomed] = unpackMetricBatch(
      await core.getMetrics({
        traces: [TRACES[0] as MetricTraceQuery, TRACES[3] as MetricTraceQuery],
        maxPoints: 400,
      }),
    ) as MetricSeries[];
    expect(whole?.values.length).toBeLessThanOrEqual(400);
    expect(whole).toMatchObject({ totalPoints: LONG, nonFinitePoints: 42, downsampled: true });
    expect(Math.max(...(whole?.values ?? []).filter(Number.isFinite))).toBe(50);
    expect(zoomed?.pointsInRange).toBe(100_001);
    expect(zoomed?.steps[1]).toBeGreaterThanOrEqual(60_000);
  });

  it('gives an unreadable trace its own error and still answers the others', async () => {
    const traces: MetricTraceQuery[] = [
      { source: SOURCE, id: '1', name: 'no.such.metric' },
      { source: SOURCE, id: '1', name: 'acc' },
      { source: SOURCE, id: '99', name: 'loss' },
      { source: 'elsewhere', id: '1', name: 'loss' },
      { source: SOURCE, id: '1', name: 'loss', xMin: 10, xMax: 1 },
      { source: SOURCE, id: '2', name: 'loss', xMin: 0, xMax: 10 },
    ];
    const entries = unpackMetricBatch(await core.getMetrics({ traces, maxPoints: 100 }));
    expect(entries.map(plain)).toEqual((await oneByOne(traces, 100)).map(plain));
    expect(entries.map((entry) => ('error' in entry ? entry.error.code : 'ok'))).toEqual([
      'NOT_FOUND',
      'ok',
      'NOT_FOUND',
      'NOT_FOUND',
      'INVALID_ARGUMENT',
      'ok',
    ]);
    expect(entries[2]).toEqual({
      error: { code: 'NOT_FOUND', message: `Source "${SOURCE}" has no run "99".` },
    });
  });
});

describe('getMetrics refuses arguments outside the contract as a whole', () => {
  const trace = { source: SOURCE, id: '1', name: 'loss' };
  it.each([
    ['no traces', { traces: [] }],
    ['no traces key', { maxPoints: 100 }],
    ['more traces than a plot has', { traces: Array.from({ length: 1001 }, () => trace) }],
    ['a budget of one point', { traces: [trace], maxPoints: 1 }],
    ['a fractional budget', { traces: [trace], maxPoints: 10.5 }],
    ['an unknown key', { traces: [trace], extra: true }],
    ['an unknown key in a trace', { traces: [{ ...trace, maxPoints: 10 }] }],
    ['a source name no source can have', { traces: [{ ...trace, source: 'my runs!' }] }],
    ['an empty metric name', { traces: [{ ...trace, name: '' }] }],
    ['a NaN range end', { traces: [{ ...trace, xMin: Number.NaN }] }],
    ['a trace that is not an object', { traces: ['loss'] }],
  ])('%s', async (_title, args) => {
    await expect(core.getMetrics(args as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('getMetrics'),
    });
  });
});
