// Issue 11 items 4 and 5 on the CLI door: a filter nested thousands of levels deep, or a regex
// RE2 cannot run, is bad usage (exit 2, one line); a cruel regex answers at once.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKTRACKING_BAIT } from '../support/hostile-filters';
import { expectNoStackTrace, runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';
import { writeSyntheticRun } from './core-test-folder';

let ws: Workspace;
beforeAll(async () => {
  ws = workspace();
  const folder = join(ws.root, 'runs');
  for (const id of ['1', '2', '3']) {
    const runFile = join(writeSyntheticRun(folder, id, { points: 2 }), 'run.json');
    const run = JSON.parse(readFileSync(runFile, 'utf8')) as { experiment: { name: string } };
    run.experiment.name = `${BACKTRACKING_BAIT}${id}`;
    writeFileSync(runFile, JSON.stringify(run));
  }
  expect((await cli('sources', 'add', 'lab', '--folder', folder)).code).toBe(0);
  expect((await cli('sync')).code).toBe(0);
});
afterAll(() => ws.remove());

const cli = (...args: string[]) => runCli(['--data-dir', ws.dataDir, ...args]);

describe('altar-viewer runs --where with hostile filters', () => {
  it.each([
    ['5,000 parentheses', `${'('.repeat(5000)}status exists${')'.repeat(5000)}`],
    ['20,000 nots', `${'not '.repeat(20_000)}status exists`],
  ])('exits 2 with one line for %s', async (_name, where) => {
    const result = await cli('runs', '--where', where);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^altar-viewer: --where: the filter nests deeper than 100 levels/u);
    expect(expectNoStackTrace(result.stderr)).toBe(true);
  });

  it('exits 2 for a look-ahead, saying the engine has none', async () => {
    const result = await cli('runs', '--where', 'experiment ~ /a(?=b)/');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no look-around or back-references/u);
  });

  it('answers a catastrophic regex over texts that make RegExp backtrack', async () => {
    const none = await cli('runs', '--where', 'experiment ~ /(.*.*.*.*)*!/', '--format', 'json');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual([]);
    const some = await cli(
      'runs',
      '--where',
      'experiment ~ /^(a+)+\\x00[12]$/',
      '--format',
      'json',
    );
    expect(some.code).toBe(0);
    expect((JSON.parse(some.stdout) as { id: string }[]).map((run) => run.id).sort()).toEqual([
      '1',
      '2',
    ]);
  });
});
