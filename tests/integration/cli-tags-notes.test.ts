// `altar-viewer tag`, `note` and `sources set --writes` (issue 15), run as a user runs them:
// refused with exit 1 and the way out while a source is read-only, then tags and notes written
// to the run's run.json and found by the run table's filter; a MongoDB user that may only read
// is told so when asking for writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';
import { READER_PASSWORD, seedSacredRuns, startMongoTarget } from './cli-mongo-support';
import type { MongoTarget } from './cli-mongo-support';

const RUN = 'myrun7';
let space: Workspace;
let folder: string;

function cli(args: string[]) {
  return runCli(['--data-dir', space.dataDir, ...args]);
}
const omniboardOf = (): unknown =>
  (JSON.parse(readFileSync(join(folder, RUN, 'run.json'), 'utf8')) as { omniboard?: unknown })
    .omniboard;

beforeAll(async () => {
  space = workspace();
  folder = space.copyFixture('filestorage_completed');
  const added = await cli(['sources', 'add', 'lab', '--folder', folder]);
  expect(added.stderr).toBe('');
  expect((await cli(['sync', 'lab'])).code).toBe(0);
}, 180_000);

afterAll(() => space?.remove());

describe('tag and note', () => {
  it('exit 1 on a read-only source, saying how to turn writes on', async () => {
    await cli(['sources', 'set', 'lab', '--writes', 'off']);
    // Tests run shuffled: another test may have tagged the run already; a refusal changes nothing.
    const before = omniboardOf();
    const refused = await cli(['tag', RUN, '--source', 'lab', '--add', 'best']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is read-only');
    expect(refused.stderr).toContain('sources set lab --writes on');
    const note = await cli(['note', RUN, '--source', 'lab', '--text', 'x']);
    expect(note.code).toBe(1);
    expect(omniboardOf()).toEqual(before);
  }, 180_000);

  it('write tags and notes into run.json once writes are on, found by --where', async () => {
    const on = await cli(['sources', 'set', 'lab', '--writes', 'on']);
    expect(on).toMatchObject({ code: 0, stderr: '' });
    expect(on.stdout).toContain('Writes of "lab" are on');

    const tagged = await cli(['tag', RUN, '--source', 'lab', '--add', 'best', '--add', 'v2']);
    expect(tagged).toMatchObject({ code: 0, stdout: `Run ${RUN}: best, v2\n` });
    const untagged = await cli(['tag', RUN, '--source', 'lab', '--remove', 'v2']);
    expect(untagged.stdout).toBe(`Run ${RUN}: best\n`);
    const noted = await cli(['note', RUN, '--source', 'lab', '--text', 'a note from the CLI']);
    expect(noted).toMatchObject({ code: 0, stdout: `Run ${RUN}: notes saved\n` });
    expect(omniboardOf()).toEqual({ tags: ['best'], notes: 'a note from the CLI' });
    expect((await cli(['note', RUN, '--source', 'lab'])).stdout).toBe('a note from the CLI\n');

    const found = await cli(['runs', '--where', 'tags has best', '--columns', 'id,tags']);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain(RUN);

    const cleared = await cli(['note', RUN, '--source', 'lab', '--text', '']);
    expect(cleared.stdout).toBe(`Run ${RUN}: notes cleared\n`);
    expect(omniboardOf()).toEqual({ tags: ['best'], notes: '' });
  }, 180_000);

  it('refuse a bad --writes value and a missing --source', async () => {
    const bad = await cli(['sources', 'set', 'lab', '--writes', 'yes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--writes takes on or off');
    const noSource = await cli(['tag', RUN, '--add', 'x']);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('--source NAME is needed');
  }, 180_000);
});

describe.skipIf(process.env.ALTAR_TEST_MONGO_URI !== undefined)('sources set --writes on', () => {
  let target: MongoTarget;

  beforeAll(async () => {
    target = await startMongoTarget(['lab']);
    const writer = await target.writer();
    await seedSacredRuns(writer, 'lab');
  }, 60_000);

  afterAll(async () => {
    await target?.close();
  });

  it("keeps a read user's source read-only and says why (exit 1)", async () => {
    const added = await cli(['sources', 'add', 'ro', '--mongo', target.uri({ db: 'lab' })]);
    expect(added.code).toBe(0);
    // A new process: the password comes from the environment, as for every CLI command.
    const refused = await runCli(
      ['--data-dir', space.dataDir, 'sources', 'set', 'ro', '--writes', 'on'],
      { ALTAR_MONGO_PASSWORD: READER_PASSWORD },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('writes of "ro" stay off: this user can only read lab');
    const listed = await cli(['sources', 'list', '--format', 'json']);
    const sources = JSON.parse(listed.stdout) as { name: string; writable: boolean }[];
    expect(sources.find((source) => source.name === 'ro')?.writable).toBe(false);
  }, 180_000);
});
