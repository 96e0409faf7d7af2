import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/contract';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

describe('altar-viewer demo', () => {
  it('writes a demo folder, syncs it and lists its runs, unreadable ones with a reason', async () => {
    const demo = await runCli(['--data-dir', ws.dataDir, 'demo', '--runs', '20']);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain(`Demo runs written to ${join(ws.dataDir, 'demo')}`);
    expect(demo.stdout).toMatch(/^demo: \d+ runs \(\d+ unreadable\)/mu);
    expect(existsSync(join(ws.dataDir, 'demo', '1', 'run.json'))).toBe(true);

    const listed = await runCli([
      '--data-dir',
      ws.dataDir,
      'runs',
      '--source',
      'demo',
      '--format',
      'json',
    ]);
    const runs = JSON.parse(listed.stdout) as RunSummary[];
    expect(runs.length).toBeGreaterThanOrEqual(20);
    expect(runs.some((run) => run.id === 'myrun7' && run.status === 'COMPLETED')).toBe(true);
    const unreadable = runs.filter((run) => run.unreadable !== null);
    expect(unreadable.length).toBeGreaterThan(0);
    for (const run of unreadable) expect(run.unreadable).toMatch(/\w{4,}/u);
    expect(runs.some((run) => run.metrics.length > 0)).toBe(true);

    const table = await runCli(['--data-dir', ws.dataDir, 'runs', '--source', 'demo']);
    expect(table.stdout).toContain('UNREADABLE');
  });

  it('refuses a bad --runs', async () => {
    const result = await runCli(['--data-dir', ws.dataDir, 'demo', '--runs', '-3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^altar-viewer: .*--runs/u);
  });
});
