// Restoring into a brand-new lab database (issue 17): `sources add NAME --mongo URI --db NEW
// --new` accepts a database without a runs collection and turns its writes on, so
// `import DIR --to NAME` fills it, and the runs can then be browsed like any others.
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { seedMongoSamples } from '../support/sacred-mongo-samples';
import { expectNoStackTrace, runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let server: MongoTestServer;
let client: MongoClient;
let ws: Workspace;
let samples: Record<string, string>;

// Passwords are not kept between CLI runs; the writer's comes from the environment.
const cli = (...args: string[]) =>
  runCli(['--data-dir', ws.dataDir, ...args], { ALTAR_MONGO_PASSWORD: 'writer-pw' });
const as = (user: string): string => mongoUriWithCredentials(server.uri, user, `${user}-pw`);

beforeAll(async () => {
  server = await startMongoTestServer({
    users: [
      { user: 'writer', password: 'writer-pw', roles: [{ role: 'readWrite', db: '*' }] },
      { user: 'reader', password: 'reader-pw', roles: [{ role: 'read', db: '*' }] },
    ],
  });
  client = await new MongoClient(as('writer')).connect();
  samples = await seedMongoSamples(client, 'cli_newdb_');
  ws = workspace();
}, 60_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
  ws?.remove();
});

interface ListedRun {
  id: string;
  status: string;
  experiment: string | null;
}

describe('import into a new lab database', () => {
  it('adds an empty database with --new only, writes on, and restores a dump into it', async () => {
    const labDb = samples.completed ?? '';
    expect((await cli('sources', 'add', 'lab', '--mongo', as('writer'), '--db', labDb)).code).toBe(
      0,
    );
    const dump = join(ws.root, 'dump');
    const exported = await cli('export', 'lab', '--to', dump);
    expect({ code: exported.code, stderr: exported.stderr }).toMatchObject({ code: 0 });

    // Without --new, a database with no runs is still refused, and nothing stays behind.
    const plain = await cli('sources', 'add', 'fresh', '--mongo', as('writer'), '--db', 'newlab');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/has no runs collection/u);

    // A user who may only read cannot fill it: not added, and the reason is named.
    const readOnly = await cli(
      'sources',
      'add',
      'fresh',
      '--mongo',
      as('reader'),
      '--db',
      'newlab',
      '--new',
    );
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/cannot be written/u);
    expect(expectNoStackTrace(readOnly.stderr)).toBe(true);
    expect(readOnly.stderr).not.toContain('reader-pw');
    const listed = await cli('sources', 'list', '--format', 'json');
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name)).toEqual(['lab']);

    const added = await cli(
      'sources',
      'add',
      'fresh',
      '--mongo',
      as('writer'),
      '--db',
      'newlab',
      '--new',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/: 0 runs .*writes are on/u);
    // A sync of the still-empty database is zero runs, not an error.
    const synced = await cli('sync', 'fresh');
    expect(synced.code).toBe(0);

    const imported = await cli('import', dump, '--to', 'fresh');
    expect(imported.stderr).not.toMatch(/warning/u);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('fresh: 1 runs added, 0 already there');

    const source = JSON.parse(
      (await cli('runs', '--source', 'lab', '--format', 'json')).stdout,
    ) as ListedRun[];
    const restored = JSON.parse(
      (await cli('runs', '--source', 'fresh', '--format', 'json')).stdout,
    ) as ListedRun[];
    expect(restored).toHaveLength(1);
    expect(restored.map(({ id, status, experiment }) => ({ id, status, experiment }))).toEqual(
      source.map(({ id, status, experiment }) => ({ id, status, experiment })),
    );
    // What the server now holds: the runs collection the import created, and the metrics.
    const names = (await client.db('newlab').listCollections().toArray()).map((c) => c.name);
    expect(names).toContain('runs');
    expect(await client.db('newlab').collection('runs').countDocuments()).toBe(1);
    expect(await client.db('newlab').collection('metrics').countDocuments()).toBe(
      await client.db(labDb).collection('metrics').countDocuments(),
    );
  }, 300_000);
});
