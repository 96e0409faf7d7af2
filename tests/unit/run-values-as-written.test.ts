// Issue 10 §4, the pure rules: how run ids compare, which statuses a filter may name, and
// metric times kept to the microsecond from either reader.
import { describe, expect, it } from 'vitest';
import { timestampMs } from '../../main/core/mongo/mongo-metrics';
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
