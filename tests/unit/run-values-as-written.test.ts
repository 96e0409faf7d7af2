// Issue 10 §4, the pure rules: how run ids compare, which statuses a filter may name, and
// metric times kept to the microsecond from either reader.
import { describe, expect, it } from 'vitest';
import { BSON } from 'mongodb';
import {
  compactMetricDocument,
  timestampMs,
  toParsedMetric,
} from '../../main/core/mongo/mongo-metrics';
import { readRawMetricDocument } from '../../main/core/mongo/raw-metric-document';
import { unreadableTimeWarnings } from '../../main/core/folder/sacred-time';
import { Column, Kind } from '../../main/core/query/column';
import { canonicalStatuses, parseFilter } from '../../shared/filter';
import type { FilterNode } from '../../shared/filter';
import { compareRunIds, runIdKind, runIdNumber } from '../../shared/run-id-order';

function parse(text: string): FilterNode {
  const parsed = parseFilter(text);
  if (!parsed.ok || parsed.ast === null) throw new Error(text);
  return parsed.ast;
}

describe('run id order', () => {
  it('reads whole numbers without leading zeros as numbers', () => {
    expect(runIdNumber('0')).toBe(0);
    expect(runIdNumber('42')).toBe(42);
    expect(runIdNumber('007')).toBeNull();
    expect(runIdNumber('1e3')).toBeNull();
    expect(runIdNumber('-3')).toBeNull();
    expect(runIdNumber('1234567890123456')).toBeNull(); // past 15 digits: text
    expect(runIdKind('myrun7')).toBe('text');
    expect(runIdKind('65a1f0c2e4b0a1b2c3d4e5f6')).toBe('objectId');
    expect(runIdKind('65A1F0C2E4B0A1B2C3D4E5F6')).toBe('text');
  });

  it('puts numbers first in numeric order, then text, then ObjectIds', () => {
    const ids = ['b', '10', '65a1f0c2e4b0a1b2c3d4e5f6', '2', 'a10', '007', '1', 'a9'];
    expect([...ids].sort(compareRunIds)).toEqual([
      '1',
      '2',
      '10',
      '007',
      'a10',
      'a9',
      'b',
      '65a1f0c2e4b0a1b2c3d4e5f6',
    ]);
  });

  it('gives the run id column numbers that still show and search as their text', () => {
    const column = Column.ofRunIds(['10', 'x', '2']);
    expect([...column.kinds]).toEqual([Kind.Number, Kind.String, Kind.Number]);
    expect(column.nums[0]).toBe(10);
    expect(column.jsonValue(0)).toBe('10');
    expect(column.text(2)).toBe('2');
  });
});

describe('status values in a filter', () => {
  it('are matched in any case to the status they name', () => {
    const fixed = canonicalStatuses(parse('status = completed or status in (failed, Preempted)'), [
      'PREEMPTED',
    ]);
    expect(fixed).toEqual({
      ok: true,
      node: parse('status = COMPLETED or status in (FAILED, PREEMPTED)'),
    });
  });

  it('leave other columns and text searches alone', () => {
    const node = parse('config.status = completed and status contains "comp"');
    expect(canonicalStatuses(node, [])).toEqual({ ok: true, node });
  });

  it('refuse a status no run can have, listing the valid ones', () => {
    const result = canonicalStatuses(parse('not status = complete'), ['PREEMPTED']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('unknown status "complete"');
    for (const status of ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'INTERRUPTED', 'TIMEOUT']) {
      expect(result.message).toContain(status);
    }
    expect(result.message).toContain('PREEMPTED');
  });

  it('keep an exact custom spelling that only differs in case', () => {
    const node = parse('status = Preempted');
    expect(canonicalStatuses(node, ['Preempted'])).toEqual({ ok: true, node });
  });
});

describe('metric times from MongoDB', () => {
  it('keep the microseconds of a time stored as text', () => {
    const base = Date.UTC(2026, 10, 26, 21, 32, 2);
    expect(timestampMs('2026-11-26T21:32:02.437988')).toBeCloseTo(base + 437.988, 3);
    expect(timestampMs('2026-11-26T21:32:02.437988Z')).toBeCloseTo(base + 437.988, 3);
    expect(timestampMs(new Date(base + 437))).toBe(base + 437);
    expect(timestampMs('not a time')).toBeNaN();
  });
});

describe('values a MongoDB reader could not keep as written', () => {
  const doc = {
    name: 'acc',
    run_id: 4,
    steps: [0, 1, 2, 3],
    values: [0.5, 'high', null, { odd: 1 }],
    timestamps: [new Date(0), 'not a time', null, '2026-11-26T21:32:02.5'],
  };

  it('are counted from raw BSON and from decoded documents alike', () => {
    for (const decoded of [
      readRawMetricDocument(BSON.serialize(doc), timestampMs),
      compactMetricDocument(doc),
    ]) {
      const warnings: string[] = [];
      const metric = toParsedMetric('acc', decoded, warnings);
      expect(metric.values[0]).toBe(0.5);
      expect(warnings).toEqual([
        'metric "acc": 2 values were not numbers (kept as NaN)',
        'metric "acc": 1 time was not a readable time (kept as no time)',
      ]);
    }
  });

  it('say nothing for numbers, NaN and None', () => {
    const warnings: string[] = [];
    toParsedMetric(
      'm',
      compactMetricDocument({ values: [1, NaN, null], steps: [0, 1, 2] }),
      warnings,
    );
    expect(warnings).toEqual([]);
  });

  it('include run times that are not times', () => {
    expect(
      unreadableTimeWarnings({
        start_time: new Date(Date.UTC(2026, 0, 1)),
        stop_time: 'soon',
        heartbeat: null,
      }),
    ).toEqual(['stop_time "soon" is not a readable time (shown as none)']);
    expect(unreadableTimeWarnings({ start_time: new Date(NaN) })).toEqual([
      'start_time an invalid date is not a readable time (shown as none)',
    ]);
  });
});
