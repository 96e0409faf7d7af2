import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionProfile, RunSummary, SourceInfo } from '../../shared/contract';
import {
  closedPort,
  filesContaining,
  passwordForms,
  recordingCli,
  seedSacredRuns,
  startMongoTarget,
} from './cli-mongo-support';
import type { MongoTarget } from './cli-mongo-support';
import { startMongoTestServer } from '../support/mongo-test-server';
import { expectNoStackTrace, workspace } from './cli-support';
import type { Workspace } from './cli-support';

const suffix = `${process.pid}_${Date.now().toString(36)}`;
const DB = `altar_cli_${suffix}`;
const EMPTY_DB = `altar_cli_empty_${suffix}`;
const WRONG_PASSWORD = 'not-the-Right-one-4711';
// A real MongoDB without credentials in ALTAR_TEST_MONGO_URI cannot test passwords.
const realUri = process.env.ALTAR_TEST_MONGO_URI ?? '';
const withAuth = it.skipIf(realUri !== '' && !/^[^/]*\/\/[^/@]*:[^/@]+@/u.test(realUri));

// The server and its databases are shared and only read; every test has its own data dir
// (made in beforeEach) and adds the sources it needs itself.
let target: MongoTarget;
let ws: Workspace;
let printed: string[];
let cli: ReturnType<typeof recordingCli>;

const sources = async (): Promise<SourceInfo[]> =>
  JSON.parse((await cli(['sources', 'list', '--format', 'json'])).stdout) as SourceInfo[];
const profiles = async (): Promise<ConnectionProfile[]> =>
  JSON.parse((await cli(['profiles', 'list', '--format', 'json'])).stdout) as ConnectionProfile[];

/** A failure is one line on stderr, nothing on stdout, no stack trace. */
function expectOneLineFailure(result: { code: number; stdout: string; stderr: string }, code = 1) {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^altar-viewer: /u);
  expect(expectNoStackTrace(result.stderr)).toBe(true);
  return lines[0] as string;
}

// Every CLI call starts a process (up to 20 s each on a loaded machine), and a test makes up
// to ten.
const slow = { timeout: 300_000 };

/** Every password form the tests use, right or wrong. */
const secretForms = (): string[] =>
  [...passwordForms(target.password), ...passwordForms(WRONG_PASSWORD)].filter(
    (form) => form !== '',
  );

/** Adds source "lab" from a URI with user:password (and the profile it makes). */
async function addLab(): Promise<void> {
  const added = await cli(['sources', 'add', 'lab', '--mongo', target.uri({ db: DB })]);
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
}

/** Adds source "lab-env" with only a user in the URI and the password in the environment. */
async function addLabEnv(): Promise<void> {
  const added = await cli(
    ['sources', 'add', 'lab-env', '--mongo', target.uri({ db: DB, password: null })],
    { ALTAR_MONGO_PASSWORD: target.password },
  );
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
}

/** Adds and syncs the folder source "files" (a copy of a real Sacred FileStorageObserver run). */
async function addFiles(): Promise<void> {
  const folder = ws.copyFixture('filestorage_completed');
  expect((await cli(['sources', 'add', 'files', '--folder', folder])).code).toBe(0);
  expect((await cli(['sync', 'files'])).code).toBe(0);
}

beforeAll(async () => {
  target = await startMongoTarget([DB, EMPTY_DB]);
  const writer = await target.writer();
  await seedSacredRuns(writer, DB);
  // A database that exists but was never written by Sacred.
  await writer.db(EMPTY_DB).collection('other').insertOne({ note: 'not a Sacred run' });
});

afterAll(async () => {
  if (target !== undefined) {
    const writer = await target.writer().catch(() => null);
    await writer
      ?.db(DB)
      .dropDatabase()
      .catch(() => undefined);
    await writer
      ?.db(EMPTY_DB)
      .dropDatabase()
      .catch(() => undefined);
    await target.close();
  }
});

beforeEach(() => {
  ws = workspace();
  printed = [];
  cli = recordingCli(ws.dataDir, printed);
});

afterEach(() => {
  try {
    // Whatever a test did, no password is in its data dir or in anything the CLI printed.
    const forms = secretForms();
    if (existsSync(ws.dataDir)) expect(filesContaining(ws.dataDir, forms)).toEqual([]);
    const output = printed.join('\n');
    for (const form of forms) expect(output.includes(form)).toBe(false);
  } finally {
    ws.remove();
  }
});

describe('altar-viewer sources add --mongo', slow, () => {
  it('adds a source from a URI with user:password and lists its runs like a folder source', async () => {
    const added = await cli(['sources', 'add', 'lab', '--mongo', target.uri({ db: DB })]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Added source "lab" \(.*\): 3 runs \(0 unreadable\)\.\n$/u);

    const listed = await cli(['runs', '--source', 'lab', '--format', 'json']);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as RunSummary[];
    expect(runs.map((run) => run.id).sort()).toEqual(['1', '2', '3']);
    const one = runs.find((run) => run.id === '1')!;
    expect(one).toMatchObject({
      source: 'lab',
      status: 'COMPLETED',
      experiment: 'x',
      command: 'main',
      host: 'lab-pc',
      start_time: '2026-03-01T10:01:00.000Z',
      config: { seed: 1, lr: 0.1 },
      unreadable: null,
    });
    expect(one.metrics).toEqual([
      { name: 'loss', count: 3, first: 1, last: 0.25, min: 0.25, max: 1, nonFinite: 0 },
    ]);
    expect(runs.find((run) => run.id === '3')).toMatchObject({ status: 'FAILED' });

    // The same JSON shape as a folder source: same keys, same value kinds.
    const folder = ws.copyFixture('filestorage_completed');
    expect((await cli(['sources', 'add', 'files', '--folder', folder])).code).toBe(0);
    expect((await cli(['sync', 'files'])).code).toBe(0);
    const fromFolder = JSON.parse(
      (await cli(['runs', '--source', 'files', '--format', 'json'])).stdout,
    ) as RunSummary[];
    const folderRun = fromFolder.find((run) => run.id === '1')!;
    expect(Object.keys(one).sort()).toEqual(Object.keys(folderRun).sort());
    expect(Object.keys(one.metrics[0]!).sort()).toEqual(Object.keys(folderRun.metrics[0]!).sort());
  });

  it('shows the source as mongo with a location that names the server and database, never the password', async () => {
    await addLab();
    await addFiles();
    const list = await sources();
    const lab = list.find((source) => source.name === 'lab')!;
    expect(lab).toMatchObject({ kind: 'mongo', runCount: 3, lastError: null });
    expect(lab.location).toContain(DB);
    for (const form of passwordForms(target.password)) expect(lab.location).not.toContain(form);
    const table = await cli(['sources', 'list']);
    expect(table.stdout).toMatch(/\nlab\s+3\s+0\s.*\sidle\s+mongo\s+mongodb(\+srv)?:\/\//u);
    expect(table.stdout).toMatch(/\nfiles\s+2\s+0\s.*\bfolder\s+\//u);
  });

  it('shows the profile it made, without a password (kept in memory only)', async () => {
    await addLab();
    const list = await profiles();
    expect(list).toHaveLength(1);
    const [profile] = list;
    for (const form of passwordForms(target.password)) expect(profile!.uri).not.toContain(form);
    // A new process: the password went with the process that was given it.
    expect(profile!.hasPassword).toBe(false);
    const table = await cli(['profiles', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+URI\s+PASSWORD/u);
    expect(table.stdout).toContain('lab');
  });
});

describe('MongoDB passwords outside the URI', slow, () => {
  withAuth('takes the password from ALTAR_MONGO_PASSWORD for a URI with only a user', async () => {
    await addLab();
    const added = await cli(
      [
        'sources',
        'add',
        'lab-env',
        '--mongo',
        target.uri({ db: DB, password: null }),
        '--timeout-ms',
        '10000',
      ],
      { ALTAR_MONGO_PASSWORD: target.password },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('3 runs');
    // Same server, same user: the profile made for "lab" is reused, not duplicated.
    expect(await profiles()).toHaveLength(1);
  });

  withAuth(
    'asks again on a later sync, and says how to give it when there is no terminal',
    async () => {
      await addLab();
      await addLabEnv();
      const synced = await cli(['sync', 'lab-env'], { ALTAR_MONGO_PASSWORD: target.password });
      expect(synced.stderr).toBe('');
      expect(synced.code).toBe(0);
      expect(synced.stdout).toMatch(
        /^lab-env: 3 runs \(0 added, 0 updated, 0 removed, 0 unreadable\)/u,
      );

      const withoutPassword = await cli(['sync', 'lab']);
      expect(withoutPassword.code).toBe(1);
      expect(withoutPassword.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(withoutPassword.stderr).toMatch(
        /^altar-viewer: lab: .*ALTAR_MONGO_PASSWORD.*terminal/u,
      );

      // Listing needs no connection: it reads the cache.
      const runs = await cli(['runs', '--source', 'lab', '--format', 'json']);
      expect(runs.code).toBe(0);
      expect(JSON.parse(runs.stdout)).toHaveLength(3);
    },
  );

  withAuth(
    'fails with a hint and adds nothing when a password is needed and none is given',
    async () => {
      await addLab();
      const result = await cli([
        'sources',
        'add',
        'nopw',
        '--mongo',
        target.uri({ password: null }),
        '--db',
        DB,
      ]);
      const line = expectOneLineFailure(result);
      expect(line).toMatch(/ALTAR_MONGO_PASSWORD or run in a terminal/u);
      expect((await sources()).map((source) => source.name)).not.toContain('nopw');
      expect(await profiles()).toHaveLength(1);
    },
  );
});

describe('altar-viewer sources add --mongo when it cannot connect', slow, () => {
  withAuth(
    'rejects a wrong password in the URI with one line about authentication, adding nothing',
    async () => {
      await addLab();
      const before = await sources();
      // Another URI than "lab"'s (no database path), so a profile is made and must be undone.
      const result = await cli([
        'sources',
        'add',
        'bad',
        '--mongo',
        target.uri({ password: WRONG_PASSWORD }),
        '--db',
        DB,
      ]);
      const line = expectOneLineFailure(result);
      expect(line).toMatch(/auth/iu);
      expect(await sources()).toEqual(before);
      expect(await profiles()).toHaveLength(1);
    },
  );

  withAuth('rejects a wrong ALTAR_MONGO_PASSWORD the same way', async () => {
    const result = await cli(
      ['sources', 'add', 'bad-env', '--mongo', target.uri({ password: null }), '--db', DB],
      { ALTAR_MONGO_PASSWORD: WRONG_PASSWORD },
    );
    expect(expectOneLineFailure(result)).toMatch(/auth/iu);
    expect((await sources()).map((source) => source.name)).not.toContain('bad-env');
  });

  it('reports a closed port as refused, adding nothing', async () => {
    await addLab();
    const port = await closedPort();
    const before = await sources();
    const result = await cli([
      'sources',
      'add',
      'gone',
      '--mongo',
      `mongodb://127.0.0.1:${port}/${DB}`,
      '--timeout-ms',
      '5000',
    ]);
    const line = expectOneLineFailure(result);
    expect(line).toMatch(/refused/iu);
    expect(line).toContain(`127.0.0.1:${port}`);
    expect(await sources()).toEqual(before);
    expect(await profiles()).toHaveLength(1);
  });

  it('refuses a database without a runs collection, adding nothing', async () => {
    await addLab();
    const before = await sources();
    const result = await cli(['sources', 'add', 'empty', '--mongo', target.uri({ db: EMPTY_DB })]);
    expect(expectOneLineFailure(result)).toMatch(/runs/u);
    const prefixed = await cli([
      'sources',
      'add',
      'prefixed',
      '--mongo',
      target.uri({ db: DB }),
      '--prefix',
      'nope',
    ]);
    expect(expectOneLineFailure(prefixed)).toMatch(/nope_runs/u);
    expect(await sources()).toEqual(before);
    expect(await profiles()).toHaveLength(1);
  });
});

describe.skipIf(realUri !== '')(
  'altar-viewer sources add --mongo against a silent server',
  slow,
  () => {
    it('gives up after --timeout-ms with a one-line message naming that time, adding nothing', async () => {
      const silent = await startMongoTestServer({ faults: { silent: true } });
      try {
        const before = await sources();
        const result = await cli([
          'sources',
          'add',
          'silent',
          '--mongo',
          `${silent.uri}/${DB}`,
          '--timeout-ms',
          '1000',
        ]);
        expect(expectOneLineFailure(result)).toMatch(/No answer from 127\.0\.0\.1:\d+ within 1 s/u);
        expect(await sources()).toEqual(before);
      } finally {
        await silent.close();
      }
    });
  },
);

describe('altar-viewer sources add --mongo usage', slow, () => {
  it('takes --folder or --mongo, not both, and --db only with --mongo', async () => {
    const both = await cli([
      'sources',
      'add',
      'x',
      '--folder',
      ws.root,
      '--mongo',
      target.uri({ db: DB }),
    ]);
    expect(expectOneLineFailure(both, 2)).toMatch(/--folder or --mongo, not both/u);
    const stray = await cli(['sources', 'add', 'x', '--folder', ws.root, '--db', DB]);
    expect(expectOneLineFailure(stray, 2)).toMatch(/--db goes with --mongo/u);
    const badName = await cli(['sources', 'add', 'has space', '--mongo', target.uri({ db: DB })]);
    expect(expectOneLineFailure(badName, 2)).toMatch(/NAME may contain only letters/u);
    const badTimeout = await cli([
      'sources',
      'add',
      'x',
      '--mongo',
      target.uri({ db: DB }),
      '--timeout-ms',
      'soon',
    ]);
    expect(expectOneLineFailure(badTimeout, 2)).toMatch(/--timeout-ms must be a whole number/u);
  });

  it('never echoes a password, even in a usage error about the URI', async () => {
    const secret = 'Echo-Me-Not-93';
    const forgotFlag = await cli([
      'sources',
      'add',
      'x',
      `mongodb://alice:${secret}@127.0.0.1:${await closedPort()}/db`,
    ]);
    expect(expectOneLineFailure(forgotFlag, 2)).toMatch(/unexpected argument/u);
    expect(forgotFlag.stderr).not.toContain(secret);
    const malformed = await cli([
      'sources',
      'add',
      'x',
      '--mongo',
      `mongodb://alice:${secret}@/db`,
    ]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).not.toContain(secret);
    expect(malformed.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('altar-viewer sources remove for a mongo source', slow, () => {
  withAuth(
    'keeps the profile while another source uses it and removes it with the last one',
    async () => {
      await addLab();
      await addLabEnv();
      await addFiles();
      const removed = await cli(['sources', 'remove', 'lab']);
      expect(removed.code).toBe(0);
      expect(await profiles()).toHaveLength(1);
      expect((await cli(['sources', 'remove', 'lab-env'])).code).toBe(0);
      expect(await profiles()).toEqual([]);
      expect((await sources()).map((source) => source.name)).toEqual(['files']);
    },
  );
});

describe('passwords after adding, syncing and failing to add sources', slow, () => {
  it('are in no file of the data dir and in nothing the CLI printed', async () => {
    // The commands that are given a password, right or wrong (their outcomes are tested above;
    // here only what they leave behind and print).
    await addLab();
    await cli(['sources', 'add', 'lab-env', '--mongo', target.uri({ db: DB, password: null })], {
      ALTAR_MONGO_PASSWORD: target.password,
    });
    await cli(['sync', 'lab-env'], { ALTAR_MONGO_PASSWORD: target.password });
    await cli(['sync', 'lab']);
    await cli([
      'sources',
      'add',
      'bad',
      '--mongo',
      target.uri({ password: WRONG_PASSWORD }),
      '--db',
      DB,
    ]);
    await cli(
      ['sources', 'add', 'bad-env', '--mongo', target.uri({ password: null }), '--db', DB],
      {
        ALTAR_MONGO_PASSWORD: WRONG_PASSWORD,
      },
    );
    await sources();
    await profiles();

    const forms = secretForms();
    expect(printed.length).toBeGreaterThan(10);
    // The scan does see what the data dir holds (the cache names the database).
    expect(filesContaining(ws.dataDir, [DB]).length).toBeGreaterThan(0);
    expect(filesContaining(ws.dataDir, forms)).toEqual([]);
    const output = printed.join('\n');
    for (const form of forms) expect(output.includes(form)).toBe(false);
  });
});
