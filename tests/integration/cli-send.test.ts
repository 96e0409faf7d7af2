// `altar-viewer send` as a user types it: a lab folder to a folder source whose writes are on.
// It prints the new run id, refuses the same folder a second time, and --dry-run prints the
// document without writing.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let ws: Workspace;

beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

function labFolder(): string {
  const folder = join(ws.root, 'acq', '2023-04-17_18_13_Experiment1');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'config.yaml'), 'mouse: M12\n');
  writeFileSync(join(folder, 'metrics.csv'), 'time,speed\n0,1\n1,2\n');
  writeFileSync(join(folder, 'plot.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  return folder;
}

describe('altar-viewer send', () => {
  it('sends a folder once, prints its id, and refuses it a second time', async () => {
    const runs = join(ws.root, 'runs');
    mkdirSync(runs);
    const folder = labFolder();
    const data = ['--data-dir', ws.dataDir];
    expect((await runCli([...data, 'sources', 'add', 'disk', '--folder', runs])).code).toBe(0);
    const args = [...data, 'send', folder, '--to', 'disk', '--config', 'config.yaml'];
    const sendArgs = [
      ...args,
      '--metrics',
      'metrics.csv',
      '--x-axis',
      'time',
      '--artifact',
      '*.png',
    ];

    const readOnly = await runCli(sendArgs);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toContain('read-only');

    expect((await runCli([...data, 'sources', 'set', 'disk', '--writes', 'on'])).code).toBe(0);
    const dry = await runCli([...sendArgs, '--dry-run']);
    expect(dry.code).toBe(0);
    const [preview] = JSON.parse(dry.stdout) as { prefix: string; document: { config: object } }[];
    expect(preview?.prefix).toBe('BBTPRXK-20230417T181300');
    expect(preview?.document.config).toMatchObject({
      experiment: folder.split('/').pop(),
      mouse: 'M12',
    });
    expect(readdirSync(runs)).toEqual([]);

    const sent = await runCli(sendArgs);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toBe('1\n');
    expect(readdirSync(join(runs, '1'))).toContain('BBTPRXK-20230417T181300-plot.png');
    const listed = await runCli([...data, 'runs', '--format', 'json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: '1', status: 'COMPLETED' }),
    ]);

    const twice = await runCli(sendArgs);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already sent');
    expect(expectNoStackTrace(twice.stderr)).toBe(true);
    expect(readdirSync(runs)).toEqual(['1']);

    // Folder by folder: with a new folder beside it, the new one is sent, the other named.
    const second = join(ws.root, 'acq', '2023-04-18_09_00_Experiment2');
    mkdirSync(second);
    writeFileSync(join(second, 'config.yaml'), 'mouse: M13\n');
    writeFileSync(join(second, 'metrics.csv'), 'time,speed\n0,1\n');
    writeFileSync(join(second, 'plot.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    const batch = [...sendArgs, second, '--format', 'json'];
    const mixed = await runCli(batch);
    expect(mixed.code).toBe(1);
    expect(JSON.parse(mixed.stdout)).toEqual([
      { folder: second, id: '2', status: 'COMPLETED', reason: null },
      {
        folder,
        id: null,
        status: 'NOT_SENT',
        reason: expect.stringContaining('already sent'),
        why: 'sent-already',
        runId: '1',
      },
    ]);
    // Resumed: nothing left to send, and that is success.
    const resumed = await runCli([...batch, '--resume']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).map((o: { why: string }) => o.why)).toEqual([
      'sent-already',
      'sent-already',
    ]);
    expect(readdirSync(runs).sort()).toEqual(['1', '2']);
  }, 120_000);

  it('names a bad usage', async () => {
    const result = await runCli(['--data-dir', ws.dataDir, 'send', labFolder()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'send' needs --to SOURCE");
  }, 60_000);
});
