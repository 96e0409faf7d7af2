import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';
import { QueryEngine } from '../../main/core/query/query-engine';
import type { FilterNode } from '../../shared/filter';

/**
 * Which runs a filter finds, on a handful of runs built so that each rule of the filter
 * language's evaluation (main/core/query/evaluate-filter.ts) decides some row: a quoted
 * string is not a number except for run ids, a date literal compares by time whatever the
 * spelling, a list holds a value only as a whole element, and the free-text search and
 * date columns are searched as a user reads them. The expected ids are written out by hand.
 */
const NOW = Date.UTC(2025, 0, 1);
let dir: string;
let store: CacheStore;
let engine: QueryEngine;

/** 'abc' 40,000 times: too long a text for the pattern (abc){100} to be tested on. */
const LONG_TEXT = 'abc'.repeat(40_000);

function run(id: string, fill: Partial<ParsedRun>): ParsedRun {
  return { ...emptyParsedRun(id, 'COMPLETED'), ...fill };
}

const RUNS: ParsedRun[] = [
  run('3', {
    experiment: 'alpha',
    comment: 'null pointer crash', // the notes column
    tags: ['blue', 'abc'],
    startTime: '2024-03-05T10:15:00.000Z',
    config: {
      v: '7',
      when: '2024-06-01T00:00:00Z',
      opt: { a: 1 },
      list: [64, 128, null],
      flags: [true],
      dates: ['2024-03-01T00:00:00Z'],
    },
  }),
  run('17', {
    experiment: '7',
    comment: 'a true story',
    tags: ['green'],
    startTime: '2024-02-10T08:00:00.000Z',
    config: {
      v: 7,
      // 2024-05-31T22:30:00Z: after 2024-06-01 in text order, before it in time.
      when: '2024-06-01T00:30:00+02:00',
      opt: 'xyz',
      list: [1, 2],
      flags: [false],
      dates: ['2024-03-02'],
    },
  }),
  run('run_x', {
    experiment: 'beta',
    comment: 'false alarm',
    tags: ['ab'],
    startTime: '2024-04-01T10:00:00.000Z',
    config: { v: 'x7', when: 'soon', opt: 'other', list: '64', dates: [20240301, null] },
  }),
  run('run_y', {
    experiment: 'gamma',
    comment: 'Bert said so',
    startTime: '2024-01-20T11:00:00.000Z',
    config: { blob: LONG_TEXT },
  }),
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-filter-rows-'));
  store = CacheStore.open(join(dir, 'cache.sqlite'));
  store.addSource({
    name: 'lab',
    kind: 'folder',
    location: join(dir, 'lab'),
    createdAt: '2025-01-01T00:00:00Z',
  });
  for (const parsed of RUNS) {
    store.writeRun('lab', { id: parsed.id, dir: null, fingerprint: 'f' }, parsed);
  }
  // A source where one start time cannot be read as a date: the column then holds text too.
  store.addSource({
    name: 'odd-lab',
    kind: 'folder',
    location: join(dir, 'odd-lab'),
    createdAt: '2025-01-01T00:00:00Z',
  });
  for (const parsed of [
    run('a', { startTime: '2024-03-05T10:15:00.000Z' }),
    run('b', { startTime: 'not recorded' }),
  ]) {
    store.writeRun('odd-lab', { id: parsed.id, dir: null, fingerprint: 'f' }, parsed);
  }
  engine = new QueryEngine(store.database, () => NOW);
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The ids a filter finds, sorted (the listing order is not what these tests are about). */
function found(where: string | FilterNode, source = 'lab'): string[] {
  return engine
    .query({ where, sources: [source], columns: [], limit: 1000 })
    .rows.map((row) => row.id)
    .sort();
}

describe('which runs a filter finds', () => {
  it('reads a quoted number as a number only for run ids', () => {
    expect(found('config.v = "7"')).toEqual(['3']);
    expect(found('config.v = 7')).toEqual(['17']);
    expect(found('experiment = "7"')).toEqual(['17']);
    expect(found('id = "3"')).toEqual(['3']);
    expect(found('id = "run_x"')).toEqual(['run_x']);
    expect(found('id in ("17", "run_y")')).toEqual(['17', 'run_y']);
  });

  it('compares text with a date literal by time, whatever the spelling', () => {
    expect(found('config.when = 2024-06-01')).toEqual(['3']);
    expect(found('config.when < 2024-06-01')).toEqual(['17']);
    expect(found('config.when >= 2024-05-31T22:30:00Z')).toEqual(['17', '3']);
    // "soon" is no date: it is neither before, after nor at any date.
    expect(found('config.when != 2024-06-01')).toEqual(['17', 'run_x', 'run_y']);
    expect(found('not config.when <= 2030-01-01')).toEqual(['run_x', 'run_y']);
  });

  it('compares a date column with a quoted date by time', () => {
    expect(found('start_time >= "2024-03-01"')).toEqual(['3', 'run_x']);
    expect(found('start_time < "2024-02-10T08:00:01Z"')).toEqual(['17', 'run_y']);
    // Still by time when another run's start time is text that is no date.
    expect(found('start_time >= 2024-03-01', 'odd-lab')).toEqual(['a']);
    expect(found('start_time < "2024-04-01"', 'odd-lab')).toEqual(['a']);
  });

  it('searches a date column as its ISO text, in any case', () => {
    expect(found('start_time contains "t10:"')).toEqual(['3', 'run_x']);
    expect(found('start_time ~ /^2024-03/')).toEqual(['3']);
  });

  it('finds a value in a list only as a whole element of that type', () => {
    // "ab" is in the JSON text of ["blue","abc"] but is not one of its tags.
    expect(found('tags contains "ab"')).toEqual(['run_x']);
    expect(found('tags contains "ABC"')).toEqual([]);
    // A string is searched as text: "64" holds 64.
    expect(found('config.list contains 64')).toEqual(['3', 'run_x']);
    expect(found('config.list contains 6')).toEqual(['run_x']);
    expect(found('config.list contains null')).toEqual(['3']);
    expect(found('config.flags contains true')).toEqual(['3']);
    expect(found('config.flags contains false')).toEqual(['17']);
    // A date literal matches a string element of that time, not a number that looks alike.
    expect(found('config.dates contains 2024-03-01')).toEqual(['3']);
    expect(found('config.dates contains 2024-03-02T00:00:00Z')).toEqual(['17']);
  });

  it('skips objects in a substring search instead of failing', () => {
    expect(found('config.opt contains "x"')).toEqual(['17']);
    expect(found('config.opt contains "1"')).toEqual([]);
  });

  it('searches text for null, true and false as those words', () => {
    expect(found('notes contains null')).toEqual(['3']);
    expect(found('notes contains true')).toEqual(['17']);
    expect(found('notes contains false')).toEqual(['run_x']);
  });

  it('runs a regex over the free text: experiment, notes, comment and tags', () => {
    expect(found('text ~ /^bert/i')).toEqual(['run_y']);
    expect(found('text ~ /^(gamma|green)$/')).toEqual(['17', 'run_y']);
    expect(found('text contains "ALPH"')).toEqual(['3']);
  });
});

describe('filters the evaluator refuses', () => {
  it('names the pattern that is too complex for a long text', () => {
    expect(() => found('config.blob ~ /(abc){100}/')).toThrow(
      /regular expression \/\(abc\)\{100\}\/ is too complex/u,
    );
  });

  it('refuses an invalid regex sent as a tree with a usage error', () => {
    const where: FilterNode = { type: 'matches', path: ['config', 'v'], pattern: '(', flags: '' };
    expect(() => found(where)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/^where: invalid regular expression/u) as unknown,
      }),
    );
  });

  it('refuses a comparison of the free-text search sent as a tree', () => {
    const where: FilterNode = {
      type: 'compare',
      path: ['text'],
      op: '=',
      value: { type: 'string', value: 'alpha' },
    };
    expect(() => found(where)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('supports only contains and ~') as unknown,
      }),
    );
    expect(() => found({ type: 'exists', path: ['text'] })).toThrow(/supports only contains/u);
  });
});
