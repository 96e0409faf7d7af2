// `sources set NAME --notify on|off`: the per-source choice the desktop app reads before it
// announces a finished run, set from the CLI in the same data folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../shared/contract';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let space: Workspace;

function cli(args: string[]) {
  return runCli(['--data-dir', space.dataDir, ...args]);
}

async function notifyOf(name: string): Promise<boolean | undefined> {
  const listed = await cli(['sources', 'list', '--format', 'json']);
  return (JSON.parse(listed.stdout) as SourceInfo[]).find((s) => s.name === name)
    ?.notifyFinishedRuns;
}

beforeAll(async () => {
  space = workspace();
  const added = await cli([
    'sources',
    'add',
    'lab',
    '--folder',
    space.copyFixture('filestorage_completed'),
  ]);
  expect(added.stderr).toBe('');
}, 180_000);

afterAll(() => space?.remove());

describe('sources set --notify', () => {
  it('turns the announcement of finished runs on and off', async () => {
    expect(await notifyOf('lab')).toBe(false);
    const on = await cli(['sources', 'set', 'lab', '--notify', 'on']);
    expect(on).toMatchObject({ code: 0, stderr: '' });
    expect(on.stdout).toContain('announces runs of "lab" that finish');
    expect(await notifyOf('lab')).toBe(true);
    const off = await cli(['sources', 'set', 'lab', '--notify', 'off']);
    expect(off.stdout).toContain('does not announce runs of "lab"');
    expect(await notifyOf('lab')).toBe(false);
  }, 180_000);

  it('refuses anything but on or off, and an unknown source', async () => {
    const bad = await cli(['sources', 'set', 'lab', '--notify', 'yes']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--notify takes on or off');
    const unknown = await cli(['sources', 'set', 'nope', '--notify', 'on']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no source named "nope"');
  }, 180_000);
});
