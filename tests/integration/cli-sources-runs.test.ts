import { renameSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/contract';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let ws: Workspace;
let folder: string;
const cli = (...args: string[]) => runCli(['--data-dir', ws.dataDir, ...args]);

beforeAll(async () => {
  ws = workspace();
  folder = ws.copyFixture('filestorage_completed');
  const added = await cli('sources', 'add', 'lab', '--folder', folder);
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  // Every test below reads the synced runs, in whatever order the tests run.
  expect((await cli('sync')).code).toBe(0);
}, 120_000);
afterAll(() => ws.remove());

// Several CLI starts per test: room for a slow machine.
describe(
  'altar-viewer sources, sync and runs on a real Sacred folder',
  { timeout: 120_000 },
  () => {
    it('syncs and prints one summary line per source', async () => {
      // A data dir of its own: the first sync of a new source.
      const own = workspace();
      try {
        const ownFolder = own.copyFixture('filestorage_completed');
        const run = (...args: string[]) => runCli(['--data-dir', own.dataDir, ...args]);
        expect((await run('sources', 'add', 'lab', '--folder', ownFolder)).code).toBe(0);
        const result = await run('sync');
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(
          /^lab: 2 runs \(2 added, 0 updated, 0 removed, 0 unreadable\), 12 points, \d+\.\d s\n$/u,
        );
      } finally {
        own.remove();
      }
    });

    it('lists runs as exactly one JSON array of run summaries', async () => {
      const result = await cli('runs', '--format', 'json');
      expect(result.code).toBe(0);
      const runs = JSON.parse(result.stdout) as RunSummary[];
      expect(Array.isArray(runs)).toBe(true);
      expect(runs.map((run) => run.id).sort()).toEqual(['1', 'myrun7']);
      const one = runs.find((run) => run.id === '1')!;
      expect(one).toMatchObject({
        source: 'lab',
        status: 'COMPLETED',
        experiment: 'demo_exp',
        command: 'main',
        host: 'vm',
        comment: 'a comment',
        start_time: '2026-11-26T21:32:02.430Z',
        unreadable: null,
      });
      expect(one.config.bad).toBe('NaN');
      expect(one.config.lr).toBe(0.02);
      expect(one.metrics).toEqual([
        {
          name: 'train.loss',
          count: 7,
          first: 1,
          last: 0.14285714285714285,
          min: 0.14285714285714285,
          max: 1,
          nonFinite: 0,
        },
        // The NaN point is counted but left out of first/last/min/max, and said so.
        { name: 'val.acc', count: 5, first: 0, last: 0.4, min: 0, max: 0.4, nonFinite: 1 },
      ]);
      expect(one.artifacts).toEqual([expect.objectContaining({ name: 'model.txt', size: 7 })]);
      const custom = runs.find((run) => run.id === 'myrun7')!;
      expect(custom).toMatchObject({ status: 'COMPLETED', result: 1, metrics: [], artifacts: [] });
    });

    it('honours --source and --limit', async () => {
      const limited = JSON.parse(
        (await cli('runs', '--source', 'lab', '--limit', '1', '--format', 'json')).stdout,
      );
      expect(limited).toHaveLength(1);
      const unknown = await cli('runs', '--source', 'nope');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe('altar-viewer: There is no source named "nope".\n');
    });

    it('writes CSV that parses back with one row per run', async () => {
      const json = JSON.parse((await cli('runs', '--format', 'json')).stdout) as RunSummary[];
      const result = await cli('runs', '--format', 'csv');
      expect(result.code).toBe(0);
      const parsed = Papa.parse<Record<string, string>>(result.stdout.trim(), { header: true });
      expect(parsed.errors).toEqual([]);
      expect(parsed.data).toHaveLength(json.length);
      expect(parsed.meta.fields?.slice(0, 12)).toEqual([
        'source',
        'id',
        'status',
        'experiment',
        'command',
        'start_time',
        'stop_time',
        'heartbeat',
        'host',
        'result',
        'comment',
        'tags',
      ]);
      const row = parsed.data.find((r) => r.id === '1')!;
      expect(JSON.parse(row.config!)).toMatchObject({
        bad: 'NaN',
        lr: 0.02,
        opt: { name: 'adam' },
      });
      expect(JSON.parse(row.result!)).toMatchObject({ acc: 0.93, inf: 'Infinity' });
      expect(row.metric_count).toBe('2');
      expect(row.comment).toBe('a comment');
    });

    it('prints an aligned table by default', async () => {
      const result = await cli('runs');
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^ID\s+STATUS\s+EXPERIMENT\s+START\s+DURATION\s+HOST\s+RESULT$/u);
      expect(lines).toHaveLength(3);
      const statusColumn = lines[0]!.indexOf('STATUS');
      for (const line of lines.slice(1))
        expect(line.slice(statusColumn, statusColumn + 9)).toBe('COMPLETED');
    });

    it('lists sources as a table and as JSON, and shows a missing folder', async () => {
      const table = await cli('sources', 'list');
      expect(table.stdout).toMatch(/^NAME\s+RUNS/u);
      expect(table.stdout).toMatch(/\nlab\s+2\s+0\s/u);
      const moved = `${folder}-moved`;
      renameSync(folder, moved);
      try {
        const json = JSON.parse((await cli('sources', 'list', '--format', 'json')).stdout);
        expect(json).toEqual([
          expect.objectContaining({ name: 'lab', runCount: 2, online: false, location: folder }),
        ]);
        expect((await cli('sources', 'list')).stdout).toContain('folder missing');
      } finally {
        renameSync(moved, folder);
      }
    });

    it('removes a source and forgets its runs, keeping the folder', async () => {
      const again = await cli(
        'sources',
        'add',
        'second',
        '--folder',
        join(folder, '..', 'filestorage_completed'),
      );
      expect(again.code).toBe(0);
      const removed = await cli('sources', 'remove', 'second');
      expect(removed.code).toBe(0);
      const sources = JSON.parse((await cli('sources', 'list', '--format', 'json')).stdout) as {
        name: string;
      }[];
      expect(sources.map((s) => s.name)).toEqual(['lab']);
      const missing = await cli('sources', 'remove', 'second');
      expect(missing.code).toBe(2);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    });
  },
);
