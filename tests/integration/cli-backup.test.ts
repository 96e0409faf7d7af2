// altar-viewer export / import as a user types them (issue 17): the dump folder and its
// summary on stdout, progress on stderr, the old → new table of runs whose id was taken.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { seedMongoSamples } from '../support/sacred-mongo-samples';
import { expectNoStackTrace, runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

let server: MongoTestServer;
let client: MongoClient;
let ws: Workspace;
let samples: Record<string, string>;

const cli = (...args: string[]) => runCli(['--data-dir', ws.dataDir, ...args]);

beforeAll(async () => {
  server = await startMongoTestServer();
  client = await new MongoClient(server.uri).connect();
  samples = await seedMongoSamples(client, 'cli_backup_');
  // A target whose run 1 is someone else's.
  await client
    .db('target')
    .collection('runs')
    .insertOne({ _id: 1, status: 'COMPLETED', experiment: { name: 'other' } } as Document);
  ws = workspace();
}, 60_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
  ws?.remove();
});

describe('altar-viewer export and import', () => {
  it('exports a source to a dump folder and imports it where its id is taken', async () => {
    const uri = (db: string) => `${server.uri.replace(/\/?(\?|$)/u, `/${db}$1`)}`;
    expect((await cli('sources', 'add', 'lab', '--mongo', uri(samples.completed ?? ''))).code).toBe(
      0,
    );
    const dump = join(ws.root, 'dump');
    const exported = await cli('export', 'lab', '--to', dump, '--gzip');
    expect(exported.stderr).toMatch(/^runs: \d+ \(\d+(\.\d)? k?B\)$/mu);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`${join(dump, samples.completed ?? '')}: 1 runs`);
    expect(exported.stdout).toMatch(/fs\.chunks: \d+ documents/u);
    expect(existsSync(join(dump, samples.completed ?? '', 'runs.bson.gz'))).toBe(true);

    expect((await cli('sources', 'add', 'target', '--mongo', uri('target'))).code).toBe(0);
    const refused = await cli('import', dump, '--to', 'target');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/read-only/u);
    expect(expectNoStackTrace(refused.stderr)).toBe(true);

    expect((await cli('sources', 'set', 'target', '--writes', 'on')).code).toBe(0);
    const imported = await cli('import', dump, '--to', 'target');
    expect(imported.stderr).not.toMatch(/warning/u);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('target: 1 runs added, 0 already there');
    expect(imported.stdout).toMatch(/^OLD\s+NEW\n1\s+2$/mu);
    const runs = await cli('runs', '--source', 'target', '--format', 'json');
    expect((JSON.parse(runs.stdout) as { id: string }[]).map((run) => run.id).sort()).toEqual([
      '1',
      '2',
    ]);

    const again = await cli('import', dump, '--to', 'target');
    expect(again.stdout).toContain('target: 0 runs added, 1 already there');
  }, 300_000);

  it('says what export needs when --to is missing (exit 2)', async () => {
    const result = await cli('export', 'lab');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--to DIR/u);
  }, 120_000);
});
