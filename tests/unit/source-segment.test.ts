import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { Column, Kind } from '../../main/core/query/column';
import { SourceSegment } from '../../main/core/query/source-segment';

interface Brief {
  experiment?: string | null;
  comment?: string | null;
  start?: string | null;
  beat?: number;
  tags?: string[];
}

function run(id: string, brief: Brief): ParsedRun {
  const parsed = emptyParsedRun(id, 'COMPLETED');
  parsed.experiment = brief.experiment === undefined ? 'exp' : brief.experiment;
  parsed.comment = brief.comment ?? null;
  parsed.startTime = brief.start === undefined ? '2025-01-02T03:04:05.678Z' : brief.start;
  parsed.stopTime = '2025-01-02T04:00:00Z';
  parsed.tags = brief.tags ?? [];
  parsed.meta = { options: { '--beat-interval': brief.beat ?? 10 } };
  return parsed;
}

/** What the table shows of a segment row: the texts and times as the columns hold them. */
function shown(segment: SourceSegment, row: number) {
  const text = (id: string): string | null => {
    const column = segment.columns.get(id);
    return column === undefined || column.kinds[row] === Kind.Missing
      ? null
      : (column.text(row) ?? null);
  };
  return {
    id: segment.ids[row],
    status: segment.status.text(row),
    experiment: text('experiment'),
    notes: text('notes'),
    start: segment.startTime.jsonValue(row),
    startKind: segment.startTime.kinds[row],
    stop: segment.stopTime.jsonValue(row),
    beat: segment.beatIntervalS[row],
    tags: segment.storedTags.jsonValue(row),
  };
}

describe('a source segment loaded from the cache', () => {
  let dir: string;
  let store: CacheStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'altar-segment-'));
    store = CacheStore.open(join(dir, 'cache.sqlite'));
    store.addSource({ name: 'src', kind: 'folder', location: dir, createdAt: 'now' });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (id: string, brief: Brief): void => {
    store.writeRun('src', { id, dir: null, fingerprint: 'f' }, run(id, brief));
  };

  it('holds every brief column as written, in run_id order', () => {
    write('2', { experiment: null, comment: '', start: 'yesterday', beat: 0.1 });
    write('10', { experiment: 'mnist', comment: 'first try', tags: ['a', 'b'] });
    write('1', { start: null, beat: 2.5 });
    const segment = SourceSegment.load(store.database, 'src', 1);
    expect(segment.length).toBe(3);
    expect([0, 1, 2].map((row) => shown(segment, row))).toEqual([
      {
        id: '1',
        status: 'COMPLETED',
        experiment: 'exp',
        notes: null,
        start: undefined,
        startKind: Kind.Missing,
        stop: '2025-01-02T04:00:00.000Z',
        beat: 2.5,
        tags: [],
      },
      {
        id: '10',
        status: 'COMPLETED',
        experiment: 'mnist',
        notes: 'first try',
        start: '2025-01-02T03:04:05.678Z',
        startKind: Kind.Date,
        stop: '2025-01-02T04:00:00.000Z',
        beat: 10,
        tags: ['a', 'b'],
      },
      {
        id: '2',
        status: 'COMPLETED',
        experiment: null,
        notes: '',
        // A time SQLite cannot read stays the text it was.
        start: 'yesterday',
        startKind: Kind.String,
        stop: '2025-01-02T04:00:00.000Z',
        beat: 0.1,
        tags: [],
      },
    ]);
    // Newest start first, runs without a readable start last.
    expect([...segment.baseOrder].map((row) => segment.ids[row])).toEqual(['10', '2', '1']);
  });

  it('reads texts holding the separators of the packed load exactly', () => {
    const unit = String.fromCharCode(31);
    const none = String.fromCharCode(30);
    write('a', { experiment: `x${unit}y`, comment: none });
    write('b', { experiment: none, comment: `${unit}` });
    write(`c${unit}`, { experiment: 'plain' });
    const segment = SourceSegment.load(store.database, 'src', 1);
    expect(
      [0, 1, 2].map((row) => [shown(segment, row).id, shown(segment, row).experiment]),
    ).toEqual([
      ['a', `x${unit}y`],
      ['b', none],
      [`c${unit}`, 'plain'],
    ]);
    expect(shown(segment, 0).notes).toBe(none);
    expect(shown(segment, 1).notes).toBe(unit);
  });

  it('keeps no numbers for its columns that hold only text (8 bytes a run each)', () => {
    write('1', { experiment: 'mnist', comment: 'first try', tags: ['a'] });
    write('2', { experiment: 'cifar', comment: 'second', start: 'yesterday' });
    const segment = SourceSegment.load(store.database, 'src', 1);
    for (const id of ['experiment', 'notes']) {
      expect(segment.columns.get(id)?.numsIfAny(), id).toBeNull();
    }
    expect(segment.status.numsIfAny()).toBeNull();
    expect(segment.storedTags.numsIfAny()).toBeNull();
    // Times are numbers (epoch ms), a text start beside them.
    expect(segment.startTime.numsIfAny()).not.toBeNull();
    expect(shown(segment, 1).start).toBe('yesterday');

    // A column given a number after texts has both, each where it was set.
    const column = new Column(3);
    column.setString(0, 'text');
    expect(column.numsIfAny()).toBeNull();
    column.setNumber(2, -0.5);
    expect([0, 1, 2].map((row) => column.jsonValue(row))).toEqual(['text', undefined, -0.5]);
    expect(column.numsIfAny()?.length).toBe(3);
  });

  it('is empty for a source without runs', () => {
    const segment = SourceSegment.load(store.database, 'src', 1);
    expect(segment.length).toBe(0);
    expect(segment.baseOrder.length).toBe(0);
  });
});
