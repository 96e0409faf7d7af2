// An export while the server is out of reach (issue 17): what the cache holds (runs, metric
// points, artifacts once opened) goes into the dump, and the export says what it left out.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON } from 'bson';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { bsonDocuments } from '../../main/core/backup/bson-stream';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { seedMongoSamples } from '../support/sacred-mongo-samples';

const NOW = Date.parse('2026-11-27T00:00:00Z');

let server: MongoTestServer | null = null;
let core: AltarCore;
let root: string;
let original: { run: Document; metrics: Document[]; artifact: Buffer };

async function docsOf(path: string): Promise<Document[]> {
  const docs: Document[] = [];
  for await (const raw of bsonDocuments(path)) docs.push(BSON.deserialize(raw));
  return docs;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  server = await startMongoTestServer();
  const client = await new MongoClient(server.uri).connect();
  const samples = await seedMongoSamples(client, 'offline_');
  const db = client.db(samples.completed ?? '');
  const run = (await db.collection('runs').findOne({})) as Document;
  const metrics = await db.collection('metrics').find({}).sort({ name: 1 }).toArray();
  await client.close();
  root = mkdtempSync(join(tmpdir(), 'altar-offline-'));
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct', now: () => NOW });
  const profile = await core.saveProfile({ name: 'lab', uri: server.uri });
  await core.addMongoSource({
    name: 'lab',
    profileId: profile.id,
    database: samples.completed ?? '',
  });
  // Opening the artifact once puts it in the artifact cache.
  const detail = await core.getRun({ source: 'lab', id: '1' });
  const ref = detail.artifacts[0];
  const stream = ref === undefined ? null : await core.openArtifact(ref.id);
  const artifact = stream === null ? Buffer.alloc(0) : await readAll(stream.open());
  original = { run, metrics, artifact };
  await server.close();
  server = null;
}, 120_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('export while the server is out of reach', () => {
  it('writes the cached runs, points and opened artifacts, and names what it could not include', async () => {
    expect(original.artifact.length).toBeGreaterThan(0);
    const dir = join(root, 'dump');
    const summary = await core.backup.exportSource({ source: 'lab', to: dir });
    expect(summary.runs).toBe(1);
    expect(summary.omitted[0]).toMatch(/could not be reached.*written from the cache/u);
    expect(summary.omitted.join('\n')).toMatch(/source files/u);
    const folder = summary.folder;
    expect(readdirSync(folder)).toEqual(
      expect.arrayContaining(['runs.bson', 'metrics.bson', 'fs.files.bson', 'fs.chunks.bson']),
    );
    const [run] = await docsOf(join(folder, 'runs.bson'));
    // The cache keeps JSON: NaN and ±Infinity as the contract's text, whole doubles as numbers.
    const asCached = (value: unknown): string =>
      JSON.stringify(value ?? null, (_key, item: unknown) =>
        typeof item === 'number' && !Number.isFinite(item) ? String(item) : item,
      );
    for (const field of [
      '_id',
      'status',
      'command',
      'config',
      'start_time',
      'stop_time',
      'captured_out',
      'result',
      'info',
      'host',
      'meta',
    ]) {
      expect(asCached(run?.[field]), field).toBe(asCached(original.run[field]));
    }
    expect(run?.experiment?.name).toBe(original.run.experiment.name);
    const metrics = (await docsOf(join(folder, 'metrics.bson'))).sort((a, b) =>
      String(a.name).localeCompare(String(b.name)),
    );
    expect(metrics.map((m) => [String(m._id), m.name, m.run_id, m.steps, m.values])).toEqual(
      original.metrics.map((m) => [String(m._id), m.name, m.run_id, m.steps, m.values]),
    );
    const chunks = await docsOf(join(folder, 'fs.chunks.bson'));
    expect(
      Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.data.buffer))).equals(
        original.artifact,
      ),
    ).toBe(true);
  }, 120_000);
});
