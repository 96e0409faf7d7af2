// Backups in mongodump's layout (issue 17): real Sacred runs in one test server → export →
// import into a second server gives the same documents; the .bson files decode with pymongo's
// bson (an independent reader); a --where export holds exactly what its runs reference.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON, EJSON, ObjectId } from 'bson';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { bsonDocuments } from '../../main/core/backup/bson-stream';
import { BSON_READ_OPTIONS } from '../../main/core/backup/sacred-doc-set';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import { seedMongoSamples } from '../support/sacred-mongo-samples';

const NOW = Date.parse('2026-11-27T00:00:00Z');
const PYTHON = '/usr/bin/python3';

let labServer: MongoTestServer;
let otherServer: MongoTestServer;
let lab: MongoClient;
let other: MongoClient;
let core: AltarCore;
let root: string;
let samples: Record<string, string>;

/** Every document of a collection, as canonical Extended JSON in `_id` order. */
async function dumpOf(client: MongoClient, db: string, collection: string): Promise<string[]> {
  const docs = await client.db(db).collection(collection).find({}, BSON_READ_OPTIONS).toArray();
  return docs.map((doc) => EJSON.stringify(doc, { relaxed: false })).sort();
}

/** The documents of a written .bson file (gzipped or not), canonical Extended JSON, sorted. */
async function fileDocs(path: string): Promise<string[]> {
  const docs: string[] = [];
  for await (const raw of bsonDocuments(path)) {
    docs.push(EJSON.stringify(BSON.deserialize(raw, BSON_READ_OPTIONS), { relaxed: false }));
  }
  return docs.sort();
}

async function addMongo(
  name: string,
  uri: string,
  database: string,
  prefix?: string,
): Promise<void> {
  const profile = await core.saveProfile({ name: `${name}-profile`, uri });
  await core.addMongoSource({
    name,
    profileId: profile.id,
    database,
    ...(prefix === undefined ? {} : { prefix }),
  });
}

/** A target database the app accepts as a source: Sacred's runs collection exists, empty. */
async function emptyTarget(name: string, database: string, runs = 'runs'): Promise<void> {
  await other.db(database).createCollection(runs);
  await addMongo(
    name,
    otherServer.uri,
    database,
    runs === 'runs' ? undefined : runs.replace(/_runs$/u, ''),
  );
  await core.setSourceWrites({ source: name, enabled: true });
}

beforeAll(async () => {
  [labServer, otherServer] = await Promise.all([startMongoTestServer(), startMongoTestServer()]);
  lab = await new MongoClient(labServer.uri).connect();
  other = await new MongoClient(otherServer.uri).connect();
  samples = await seedMongoSamples(lab, 'backup_');
  await generateSacredMongo(lab.db('generated'), { runs: 14, prefix: 'lab', now: NOW, seed: 5 });
  await lab
    .db('generated')
    .collection('omniboard.settings')
    .insertMany([
      { name: 'timezone', value: 'Europe/Paris' },
      { name: 'row_height', value: 70 },
    ]);
  await lab
    .db('generated')
    .collection('omniboard.custom.columns')
    .insertOne({ name: 'lr', config_path: 'config.lr' });
  root = mkdtempSync(join(tmpdir(), 'altar-backup-'));
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct', now: () => NOW });
  await addMongo('real', labServer.uri, samples.completed ?? '');
  await addMongo('generated', labServer.uri, 'generated', 'lab');
}, 120_000);

afterAll(async () => {
  await core?.close();
  await lab?.close();
  await other?.close();
  await Promise.all([labServer?.close(), otherServer?.close()]);
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

const COLLECTIONS = [
  'lab_runs',
  'lab_metrics',
  'fs.files',
  'fs.chunks',
  'omniboard.settings',
  'omniboard.custom.columns',
];

describe('export in mongodump layout, import into another server', () => {
  it('writes <db>/<collection>.bson and .metadata.json as mongodump does', async () => {
    const dir = join(root, 'plain');
    const summary = await core.backup.exportSource({ source: 'generated', to: dir });
    expect(summary.folder).toBe(join(dir, 'generated'));
    const files = readdirSync(join(dir, 'generated')).sort();
    for (const name of COLLECTIONS) {
      expect(files).toContain(`${name}.bson`);
      expect(files).toContain(`${name}.metadata.json`);
    }
    const metadata = EJSON.parse(readFileText(join(dir, 'generated', 'lab_runs.metadata.json')), {
      relaxed: false,
    }) as Document;
    expect(Object.keys(metadata)).toEqual(
      expect.arrayContaining(['indexes', 'collectionName', 'type']),
    );
    expect(metadata.collectionName).toBe('lab_runs');
    expect(metadata.type).toBe('collection');
    // Index keys in canonical Extended JSON, as mongodump writes them.
    expect(readFileText(join(dir, 'generated', 'lab_runs.metadata.json'))).toContain(
      '"key":{"_id":{"$numberInt":"1"}}',
    );
    for (const name of COLLECTIONS) {
      expect(await fileDocs(join(dir, 'generated', `${name}.bson`))).toEqual(
        await dumpOf(lab, 'generated', name),
      );
    }
    expect(summary.runs).toBe(await lab.db('generated').collection('lab_runs').countDocuments());
  });

  it('imports a gzipped export into an empty database: every document, point and byte the same', async () => {
    const dir = join(root, 'gz');
    await core.backup.exportSource({ source: 'generated', to: dir, gzip: true });
    const files = readdirSync(join(dir, 'generated'));
    expect(files).toContain('lab_runs.bson.gz');
    expect(files).toContain('lab_runs.metadata.json.gz');
    expect(files.some((name) => name.endsWith('.bson'))).toBe(false);

    await emptyTarget('restored', 'restored', 'lab_runs');
    const summary = await core.backup.importDump({ from: dir, to: 'restored' });
    expect(summary.renamed).toEqual([]);
    expect(summary.runsPresent).toBe(0);
    for (const name of COLLECTIONS) {
      expect(await dumpOf(other, 'restored', name), name).toEqual(
        await dumpOf(lab, 'generated', name),
      );
    }
    // The app reads the restored runs like the originals.
    await core.syncSources({ names: ['restored', 'generated'] });
    const [original, restored] = await Promise.all([
      core.listRuns({ source: 'generated', limit: 1000 }),
      core.listRuns({ source: 'restored', limit: 1000 }),
    ]);
    expect(restored.total).toBe(original.total);

    const again = await core.backup.importDump({ from: dir, to: 'restored' });
    expect(again.runsAdded).toBe(0);
    expect(again.runsPresent).toBe(original.total);
    expect(again.metricsAdded + again.filesAdded + again.chunksAdded + again.omniboardAdded).toBe(
      0,
    );
    for (const name of COLLECTIONS) {
      expect(await dumpOf(other, 'restored', name), name).toEqual(
        await dumpOf(lab, 'generated', name),
      );
    }
  }, 120_000);

  it('refuses to import into a source whose writes are off, writing nothing', async () => {
    const dir = join(root, 'read-only');
    await core.backup.exportSource({ source: 'real', to: dir });
    await other.db('readonly').createCollection('runs');
    await addMongo('readonly', otherServer.uri, 'readonly');
    await expect(core.backup.importDump({ from: dir, to: 'readonly' })).rejects.toMatchObject({
      code: 'READ_ONLY',
    });
    expect(await other.db('readonly').collection('runs').countDocuments()).toBe(0);
    expect(await other.db('readonly').listCollections({ name: 'fs.files' }).toArray()).toEqual([]);
  }, 120_000);

  it('gives a run whose _id is taken the next id, and its metrics and files follow', async () => {
    const dir = join(root, 'real');
    await core.backup.exportSource({ source: 'real', to: dir });
    await emptyTarget('busy', 'busy');
    const intruder = {
      _id: 1,
      experiment: { name: 'someone else' },
      status: 'COMPLETED',
      config: { seed: 3 },
    };
    await other
      .db('busy')
      .collection('runs')
      .insertOne(intruder as Document);

    const summary = await core.backup.importDump({ from: dir, to: 'busy' });
    expect(summary.renamed).toEqual([{ from: '1', to: '2' }]);
    const run = await other
      .db('busy')
      .collection('runs')
      .findOne({ _id: 2 } as Document);
    expect(run?.info?.altar_import?.original_id).toBe(1);
    const original = await lab
      .db(samples.completed ?? '')
      .collection('runs')
      .findOne({ _id: 1 } as Document);
    expect(run?.config).toEqual(original?.config);
    expect(run?.captured_out).toBe(original?.captured_out);
    const metrics = await other.db('busy').collection('metrics').find({}).toArray();
    const originalMetrics = await lab
      .db(samples.completed ?? '')
      .collection('metrics')
      .find({})
      .toArray();
    expect(metrics.map((m) => [m.name, m.run_id, m.values])).toEqual(
      originalMetrics.map((m) => [m.name, 2, m.values]),
    );
    // Each artifact and source file the run names has the original's bytes.
    const refs = [
      ...(run?.artifacts as { file_id: ObjectId }[]).map((a) => a.file_id),
      ...(run?.experiment?.sources as [string, ObjectId][]).map((s) => s[1]),
    ];
    expect(refs.length).toBeGreaterThan(0);
    const contentOf = async (client: MongoClient, db: string, id: unknown): Promise<Buffer> => {
      const chunks = await client
        .db(db)
        .collection('fs.chunks')
        .find({ files_id: id } as Document)
        .sort({ n: 1 })
        .toArray();
      return Buffer.concat(
        chunks.map((chunk) => Buffer.from((chunk.data as { buffer: Uint8Array }).buffer)),
      );
    };
    let bytes = 0;
    for (const id of refs) {
      const file = await other.db('busy').collection('fs.files').findOne({ _id: id });
      const originalFile = await lab
        .db(samples.completed ?? '')
        .collection('fs.files')
        .findOne({ md5: file?.md5, filename: file?.filename });
      expect(originalFile).not.toBeNull();
      const content = await contentOf(other, 'busy', id);
      expect(content.equals(await contentOf(lab, samples.completed ?? '', originalFile?._id))).toBe(
        true,
      );
      bytes += content.length;
    }
    expect(bytes).toBeGreaterThan(0);

    const again = await core.backup.importDump({ from: dir, to: 'busy' });
    expect(again.runsAdded).toBe(0);
    expect(again.renamed).toEqual([]);
    expect(await other.db('busy').collection('runs').countDocuments()).toBe(2);
    expect(await other.db('busy').collection('metrics').countDocuments()).toBe(
      originalMetrics.length,
    );
  }, 120_000);

  it('--where exports exactly the matching runs and the metrics and files they reference', async () => {
    await core.syncSources({ names: ['generated'] });
    const page = await core.queryRuns({
      sources: ['generated'],
      where: 'status = COMPLETED',
      columns: [],
      limit: 1000,
    });
    expect(page.total).toBeGreaterThan(0);
    const dir = join(root, 'where');
    const summary = await core.backup.exportSource({
      source: 'generated',
      to: dir,
      where: 'status = COMPLETED',
    });
    expect(summary.runs).toBe(page.total);
    const runs = (await fileDocs(join(dir, 'generated', 'lab_runs.bson'))).map(
      (text) => EJSON.parse(text, { relaxed: false }) as Document,
    );
    expect(runs.every((run) => run.status === 'COMPLETED')).toBe(true);
    const ids = runs.map((run) => run._id as unknown);
    const db = lab.db('generated');
    const expectedMetrics = await db
      .collection('lab_metrics')
      .find({ run_id: { $in: ids } } as Document, BSON_READ_OPTIONS)
      .toArray();
    expect(await fileDocs(join(dir, 'generated', 'lab_metrics.bson'))).toEqual(
      expectedMetrics.map((doc) => EJSON.stringify(doc, { relaxed: false })).sort(),
    );
    const fileIds = new Set<string>();
    for (const run of runs) {
      for (const artifact of (run.artifacts ?? []) as { file_id: ObjectId }[])
        fileIds.add(artifact.file_id.toHexString());
      for (const source of (run.experiment?.sources ?? []) as [string, ObjectId][])
        fileIds.add(source[1].toHexString());
    }
    const files = (await fileDocs(join(dir, 'generated', 'fs.files.bson'))).map(
      (text) => (EJSON.parse(text, { relaxed: false }) as Document)._id as ObjectId,
    );
    expect(files.map((id) => id.toHexString()).sort()).toEqual([...fileIds].sort());
    const chunks = (await fileDocs(join(dir, 'generated', 'fs.chunks.bson'))).map(
      (text) => EJSON.parse(text, { relaxed: false }) as Document,
    );
    expect(new Set(chunks.map((chunk) => (chunk.files_id as ObjectId).toHexString()))).toEqual(
      fileIds,
    );
    expect(chunks.length).toBe(
      await db
        .collection('fs.chunks')
        .countDocuments({ files_id: { $in: [...fileIds].map((id) => new ObjectId(id)) } }),
    );
  }, 120_000);

  it.skipIf(!pythonBsonAvailable())(
    'writes .bson files that pymongo’s bson decodes into the same documents',
    async () => {
      const dir = join(root, 'python');
      await core.backup.exportSource({ source: 'generated', to: dir });
      const script = join(root, 'decode.py');
      writeFileSync(
        script,
        [
          'import sys, bson',
          'from bson import json_util',
          'opts = json_util.CANONICAL_JSON_OPTIONS',
          'with open(sys.argv[1], "rb") as f:',
          '    for doc in bson.decode_file_iter(f, codec_options=bson.codec_options.CodecOptions(document_class=bson.son.SON)):',
          '        print(json_util.dumps(doc, json_options=opts))',
        ].join('\n'),
      );
      for (const name of COLLECTIONS) {
        const output = execFileSync(PYTHON, [script, join(dir, 'generated', `${name}.bson`)], {
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        });
        const decoded = output
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => EJSON.stringify(EJSON.parse(line, { relaxed: false }), { relaxed: false }))
          .sort();
        expect(decoded.length, name).toBeGreaterThan(0);
        expect(decoded, name).toEqual(await dumpOf(lab, 'generated', name));
      }
    },
    120_000,
  );

  it('copies matching runs MongoDB → MongoDB with what they reference; copying again adds nothing', async () => {
    await core.syncSources({ names: ['generated'] });
    const where = 'status = FAILED';
    const page = await core.queryRuns({ sources: ['generated'], where, columns: [], limit: 1000 });
    expect(page.total).toBeGreaterThan(0);
    await emptyTarget('copied', 'copied', 'lab_runs');
    const stages = new Set<string>();
    const first = await core.backup.copyRuns(
      { from: 'generated', to: 'copied', where },
      { onProgress: (progress) => stages.add(progress.phase) },
    );
    expect(first.runsAdded).toBe(page.total);
    expect(stages.has('runs')).toBe(true);
    const copiedRuns = await other
      .db('copied')
      .collection('lab_runs')
      .find({}, BSON_READ_OPTIONS)
      .toArray();
    const ids = copiedRuns.map((run) => run._id as unknown);
    expect(await dumpOf(other, 'copied', 'lab_runs')).toEqual(
      (
        await lab
          .db('generated')
          .collection('lab_runs')
          .find({ _id: { $in: ids } } as Document, BSON_READ_OPTIONS)
          .toArray()
      )
        .map((doc) => EJSON.stringify(doc, { relaxed: false }))
        .sort(),
    );
    expect(await other.db('copied').collection('lab_metrics').countDocuments()).toBe(
      await lab
        .db('generated')
        .collection('lab_metrics')
        .countDocuments({ run_id: { $in: ids } } as Document),
    );
    const second = await core.backup.copyRuns({ from: 'generated', to: 'copied', where });
    expect(second.runsAdded).toBe(0);
    expect(second.runsPresent).toBe(page.total);
    expect(await other.db('copied').collection('lab_runs').countDocuments()).toBe(page.total);
  }, 120_000);

  it.skipIf(!pythonBsonAvailable())(
    "restores a dump written as mongodump writes it (pymongo's bson, gzip, prelude, admin, oplog)",
    async () => {
      // An independent writer: pymongo reads the lab database and writes mongodump's layout.
      const dir = join(root, 'mongodump');
      const script = join(root, 'mongodump.py');
      writeFileSync(
        script,
        [
          'import sys, os, gzip, json, pymongo, bson',
          'from bson import json_util',
          'uri, db_name, out = sys.argv[1:4]',
          'client = pymongo.MongoClient(uri)',
          'db = client[db_name]',
          'os.makedirs(os.path.join(out, db_name), exist_ok=True)',
          'os.makedirs(os.path.join(out, "admin"), exist_ok=True)',
          'open(os.path.join(out, "prelude.json"), "w").write(json.dumps({"ServerVersion": "7.0.0", "ToolVersion": "100.9.4"}))',
          'open(os.path.join(out, "oplog.bson"), "wb").close()',
          'with gzip.open(os.path.join(out, "admin", "system.version.bson.gz"), "wb") as f:',
          '    f.write(bson.encode({"_id": "featureCompatibilityVersion", "version": "7.0"}))',
          'opts = json_util.CANONICAL_JSON_OPTIONS',
          'for name in db.list_collection_names():',
          '    with gzip.open(os.path.join(out, db_name, name + ".bson.gz"), "wb") as f:',
          '        for raw in db.get_collection(name, codec_options=bson.codec_options.CodecOptions(document_class=bson.raw_bson.RawBSONDocument)).find():',
          '            f.write(raw.raw)',
          '    meta = {"indexes": list(db[name].list_indexes()), "collectionName": name, "type": "collection"}',
          '    with gzip.open(os.path.join(out, db_name, name + ".metadata.json.gz"), "wt") as f:',
          '        f.write(json_util.dumps(meta, json_options=opts))',
        ].join('\n'),
      );
      // Asynchronously: the test server answers pymongo from this process.
      await promisify(execFile)(PYTHON, [script, labServer.uri, 'generated', dir]);
      await emptyTarget('from-mongodump', 'frommongodump', 'lab_runs');
      const summary = await core.backup.importDump({ from: dir, to: 'from-mongodump' });
      expect(summary.renamed).toEqual([]);
      for (const name of COLLECTIONS) {
        expect(await dumpOf(other, 'frommongodump', name), name).toEqual(
          await dumpOf(lab, 'generated', name),
        );
      }
    },
    120_000,
  );
});

function pythonBsonAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import bson.json_util']);
    return true;
  } catch {
    return false;
  }
}

function readFileText(path: string): string {
  return execFileSync('cat', [path], { encoding: 'utf8' });
}
