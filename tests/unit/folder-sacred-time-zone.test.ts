// Sacred writes naive UTC times. A reader that took them as local time would be right only on a
// machine in UTC (as CI is), so this file runs in Asia/Tokyo (UTC+9) and expects the epoch
// values written out below, worked out by hand from the UTC reading.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetricsFile } from '../../main/core/folder/read-metrics-file';
import { readRunDir } from '../../main/core/folder/read-run-dir';
import { sacredTimeToIso, sacredTimeToMs } from '../../main/core/folder/sacred-time';
import { scanRunDirs } from '../../main/core/folder/scan-run-dirs';
import { inTimeZone } from '../support/time-zone';

inTimeZone('Asia/Tokyo', -540);

// 2026-11-26T21:32:02Z: 20783 days after the epoch, plus 21:32:02.
const T_2026_11_26_213202 = (20783 * 86_400 + 21 * 3600 + 32 * 60 + 2) * 1000;
const samples = resolve(__dirname, '../fixtures/sacred-samples');

describe('Sacred times on a machine east of UTC', () => {
  it('reads a naive time as UTC, with and without the fraction', () => {
    expect(sacredTimeToMs('2026-11-26T21:32:02')).toBe(T_2026_11_26_213202);
    // Microseconds may be kept as a fraction of a millisecond: the zone is what matters here.
    expect(Math.floor(sacredTimeToMs('2026-11-26T21:32:02.437988'))).toBe(
      T_2026_11_26_213202 + 437,
    );
    expect(sacredTimeToMs('2026-11-26 21:32:02')).toBe(T_2026_11_26_213202);
  });

  it('reads a date alone as midnight UTC', () => {
    expect(sacredTimeToMs('2026-11-26')).toBe(20783 * 86_400 * 1000);
  });

  it('reads Z and offsets against UTC, not against the local zone', () => {
    expect(sacredTimeToMs('2026-11-26T21:32:02Z')).toBe(T_2026_11_26_213202);
    expect(sacredTimeToMs('2026-11-27T06:32:02+09:00')).toBe(T_2026_11_26_213202);
    expect(sacredTimeToMs('2026-11-26T21:32:02-02:00')).toBe(T_2026_11_26_213202 + 2 * 3600_000);
  });

  it('turns a naive time into the same ISO text as on a UTC machine', () => {
    expect(sacredTimeToIso('2026-11-26T21:32:02.430553')).toBe('2026-11-26T21:32:02.430Z');
    expect(sacredTimeToIso('2000-01-01T00:00:00')).toBe('2000-01-01T00:00:00.000Z');
  });

  it('gives a run folder its start, stop and heartbeat as written (UTC)', async () => {
    const folder = join(samples, 'filestorage_completed');
    const [entry] = await scanRunDirs(folder);
    expect(entry).toBeDefined();
    if (entry === undefined) return;
    const run = await readRunDir(folder, entry, { retries: 0 });
    expect(run.startTime).toBe('2026-11-26T21:32:02.430Z');
    expect(run.stopTime).toBe('2026-11-26T21:32:03.645Z');
    expect(run.heartbeat).toBe('2026-11-26T21:32:03.646Z');
  });

  it('gives metric points the UTC times of metrics.json', async () => {
    const read = await readMetricsFile(join(samples, 'filestorage_completed', '1', 'metrics.json'));
    const loss = read.metrics.find((metric) => metric.name === 'train.loss');
    // metrics.json: "2026-11-26T21:32:02.437988" and, last, "2026-11-26T21:32:03.645181".
    expect(Math.floor(loss?.timestamps[0] ?? NaN)).toBe(T_2026_11_26_213202 + 437);
    expect(Math.floor(loss?.timestamps.at(-1) ?? NaN)).toBe(T_2026_11_26_213202 + 1645);
  });
});
