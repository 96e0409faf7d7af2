// Sending runs (issue 16) end to end: real-looking lab folders (a YAML config, a CSV metrics
// table with an x-axis and a shorter column, a JSON results file, a PNG artifact, a video large
// enough for a multipart upload) sent to the MongoDB test server with raw data on the S3 test
// server, and to a folder source with raw data copied to a local root. The documents are checked
// field by field against what ../shared/ALTAR_TOOLS.md §1 says the old sender writes, then read
// back through the core. Failure paths (duplicate, bad CSV, unreachable server, cancel, writes
// off) leave no run, no GridFS file and no object behind.
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Binary, MongoClient, ObjectId } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { encodePng } from '../../main/core/demo/png-encoder';
import { hash7 } from '../../main/core/send/crockford-hash';
import { artifactFileId } from '../../main/core/send/mongo-run-writer';
import type { SendMapping, SendProgress } from '../../shared/contract/send-methods';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { S3_ACCESS_KEY, S3_SECRET, startS3TestServer } from '../support/s3-test-server';
import type { S3TestServer } from '../support/s3-test-server';
import { REAL_MONGO_URI } from './mongo-sync-support';
import { rejection } from '../support/rejection';

const FOLDER = '2023-04-17_18_13_Experiment1';
const PREFIX = 'BBTPRXK-20230417T181300';
const ADMIN = { user: 'admin', password: 'send-Admin-pw1' };
const BUCKET = 'raw';
/** 9 MiB: more than one 8 MiB part, so the upload is multipart. */
const VIDEO_BYTES = 9 * 1024 * 1024;

let mongo: MongoTestServer;
let s3: S3TestServer;
let core: AltarCore;
let root: string;
let client: MongoClient;
let sourceCount = 0;

const png = encodePng({
  width: 2,
  height: 2,
  pixels: Uint8Array.from({ length: 12 }, (_v, i) => i * 20),
});

/** Bytes that differ along the file, so a truncated or shuffled copy shows. */
function videoBytes(size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_v, i) => (i * 31 + (i >> 10)) & 0xff));
}
const video = videoBytes(VIDEO_BYTES);

/** A lab folder as instruments leave them. */
function labFolder(parent: string, name = FOLDER, metrics?: string): string {
  const folder = join(parent, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'config.yaml'), 'mouse: M12\nlaser:\n  power: 5\n  on: true\n');
  writeFileSync(
    join(folder, 'metrics.csv'),
    metrics ?? 'time,speed,licks\n0.5,1.5,3\n1.0,2.5,4\n1.5,3.5,\n',
  );
  writeFileSync(join(folder, 'results.json'), '{"accuracy": 0.93, "label": "good"}');
  writeFileSync(join(folder, 'plot.png'), png);
  writeFileSync(join(folder, 'video.mp4'), video);
  return folder;
}

const mapping: SendMapping = {
  config: { file: 'config.yaml' },
  metrics: { file: 'metrics.csv', xAxis: 'time' },
  results: { file: 'results.json' },
  artifacts: ['*.png'],
  rawData: ['*.mp4'],
  rawTo: 'minio',
  bucket: BUCKET,
};

/** A MongoDB source of its own (its own database), writes on, storage on the S3 server. */
async function labSource(): Promise<{ source: string; db: string; folders: string }> {
  sourceCount++;
  const source = `lab${sourceCount}`;
  const db = `send${sourceCount}`;
  // An earlier run (written by Sacred elsewhere) so that the new one takes max+1.
  await client
    .db(db)
    .collection('runs')
    .insertOne({ _id: 41 as never, status: 'COMPLETED' });
  const profile = await core.saveProfile({
    name: source,
    uri: `mongodb://${ADMIN.user}@127.0.0.1:${mongo.port}/?authSource=admin`,
    password: ADMIN.password,
  });
  await core.addMongoSource({ name: source, profileId: profile.id, database: db });
  await core.setSourceWrites({ source, enabled: true });
  await core.saveStorageProfile({
    source,
    endpoint: s3.endpoint,
    accessKeyId: S3_ACCESS_KEY,
    secretAccessKey: S3_SECRET,
  });
  const folders = mkdtempSync(join(root, 'folders-'));
  return { source, db, folders };
}

function s3Client(): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET },
  });
}

async function objectKeys(): Promise<string[]> {
  const s3c = s3Client();
  try {
    const listed = await s3c.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '');
  } finally {
    s3c.destroy();
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** What a failed send must not leave: only the earlier run, no metrics, no GridFS file. */
async function expectNothingWritten(db: string): Promise<void> {
  const database = client.db(db);
  expect(await database.collection('runs').find({}).toArray()).toEqual([
    { _id: 41, status: 'COMPLETED' },
  ]);
  expect(await database.collection('metrics').countDocuments()).toBe(0);
  expect(await database.collection('fs.files').countDocuments()).toBe(0);
  expect(await database.collection('fs.chunks').countDocuments()).toBe(0);
}

describe.skipIf(REAL_MONGO_URI !== null)('sending lab folders as Sacred runs', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'altar-send-'));
    mongo = await startMongoTestServer({
      users: [{ ...ADMIN, roles: [{ role: 'readWrite', db: '*' }] }],
    });
    s3 = await startS3TestServer([BUCKET]);
    client = new MongoClient(mongoUriWithCredentials(mongo.uri, ADMIN.user, ADMIN.password));
    await client.connect();
    core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct' });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await client?.close();
    await mongo?.close();
    await s3?.close();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('writes the run the old sender wrote, with what it got wrong put right', async () => {
    const { source, db, folders } = await labSource();
    const folder = labFolder(folders);
    const events: SendProgress[] = [];
    const off = core.on('sendProgress', (progress) => events.push(progress));
    const before = Date.now();
    const sent = await core.sendRuns({ source, folders: [folder], mapping, operationId: 'send-1' });
    off();
    expect(sent.runs).toEqual([{ folder, id: '42', status: 'COMPLETED', reason: null }]);

    const run = (await client
      .db(db)
      .collection('runs')
      .findOne({ _id: 42 as never })) as Document;
    expect(Object.keys(run)).not.toContain('fail_trace');
    expect(run.experiment).toEqual({
      name: FOLDER,
      base_dir: folder,
      sources: [],
      dependencies: [],
      repositories: [],
      mainfile: null,
    });
    expect(run.format).toBe('MongoObserver-0.7.0');
    expect(run.command).toBe('run');
    expect(run.status).toBe('COMPLETED');
    expect(run.meta.command).toBe('run');
    expect(run.meta.options['--capture']).toBe('no');
    expect(run.meta.named_configs).toEqual([]);
    expect(typeof run.host.hostname).toBe('string');
    expect(run.host.ENV).toEqual({});
    for (const field of ['start_time', 'stop_time', 'heartbeat']) {
      expect(run[field]).toBeInstanceOf(Date);
      expect((run[field] as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(run.captured_out).toBe('');
    expect(run.resources).toEqual([]);
    // config: {experiment: <folder>} updated from the file, plus Sacred's seed.
    const { seed, ...config } = run.config as { seed: unknown };
    expect(config).toEqual({ experiment: FOLDER, mouse: 'M12', laser: { power: 5, on: true } });
    expect(Number.isInteger(seed)).toBe(true);
    // The old sender left `result` null; both hold the results here.
    expect(run.result).toEqual({ accuracy: 0.93, label: 'good' });
    expect(run.info.result).toEqual({ accuracy: 0.93, label: 'good' });
    expect(run.info.dataFiles).toEqual({
      artifacts: { plot: `${PREFIX}-plot.png` },
      raw_data: {
        minio: {
          video: {
            type: 'mp4',
            fileName: `${PREFIX}-video.mp4`,
            size: '9.00 Mo',
            bucket: BUCKET,
            minio_folder: 'video',
          },
        },
        local: {},
      },
    });

    // Metrics: one document per series, the shorter series kept whole, steps from the x-axis.
    const metrics = await client.db(db).collection('metrics').find({ run_id: 42 }).toArray();
    const byName = new Map(metrics.map((m) => [m.name as string, m]));
    expect(byName.get('speed')).toMatchObject({ steps: [0.5, 1, 1.5], values: [1.5, 2.5, 3.5] });
    expect(byName.get('licks')).toMatchObject({ steps: [0.5, 1], values: [3, 4] });
    expect((byName.get('licks')?.timestamps as Date[]).length).toBe(2);
    expect(run.info.metrics).toEqual(
      ['speed', 'licks'].map((name) => ({ name, id: byName.get(name)?._id.toHexString() })),
    );

    // The artifact in GridFS as Sacred names it, with a guessed content type.
    const files = await client.db(db).collection('fs.files').find({}).toArray();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      filename: `artifact://runs/42/${PREFIX}-plot.png`,
      length: png.length,
      contentType: 'image/png',
    });
    expect(run.artifacts).toEqual([{ name: `${PREFIX}-plot.png`, file_id: files[0]?._id }]);

    // The video on the S3 server at <bucket>/<stem>/<stored name>, byte for byte.
    const s3c = s3Client();
    const object = await s3c.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: `video/${PREFIX}-video.mp4` }),
    );
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(video)).toBe(true);
    s3c.destroy();

    // Progress: the video's bytes as they went, then the end.
    const upload = events.filter((e) => e.phase === 'uploading' && e.file === 'video.mp4');
    expect(upload.at(-1)).toMatchObject({ bytes: VIDEO_BYTES, totalBytes: VIDEO_BYTES });
    expect(upload.length).toBeGreaterThan(2);
    expect(events.at(-1)).toMatchObject({ phase: 'done', operationId: 'send-1', foldersDone: 1 });

    // Read back through the core without a manual sync: the table has it.
    const detail = await core.getRun({ source, id: '42' });
    expect(detail.status).toBe('COMPLETED');
    expect(detail.experiment).toBe(FOLDER);
    const speed = await core.getMetric({ source, id: '42', name: 'speed' });
    expect(Array.from(speed.steps)).toEqual([0.5, 1, 1.5]);
    expect(Array.from(speed.values)).toEqual([1.5, 2.5, 3.5]);
    const artifact = detail.artifacts.find((a) => a.name === `${PREFIX}-plot.png`);
    const stream = await core.openArtifact(artifact?.id ?? '');
    expect((await readAll(stream!.open())).equals(png)).toBe(true);
    const raw = await core.listRawData({ source, id: '42' });
    expect(raw.rows).toEqual([
      expect.objectContaining({ kind: 'minio', stem: 'video', availability: 'ready' }),
    ]);
  }, 60_000);

  it('refuses a folder sent already, and sends it again when asked', async () => {
    const { source, db, folders } = await labSource();
    const folder = labFolder(folders);
    const small = { ...mapping, rawData: [] };
    expect((await core.sendRuns({ source, folders: [folder], mapping: small })).runs[0]?.id).toBe(
      '42',
    );
    const preview = await core.previewSend({ source, folders: [folder], mapping: small });
    expect(preview.folders[0]?.duplicateOf).toBe('42');
    const refused = await rejection(core.sendRuns({ source, folders: [folder], mapping: small }));
    expect(refused.code).toBe('ALREADY_EXISTS');
    expect(refused.message).toContain(`${FOLDER} (run 42)`);
    expect(await client.db(db).collection('runs').countDocuments()).toBe(2);
    const again = await core.sendRuns({ source, folders: [folder], mapping: small, again: true });
    expect(again.runs[0]?.id).toBe('43');
    // Another file set is another send.
    writeFileSync(join(folder, 'second.png'), png);
    const more = await core.sendRuns({ source, folders: [folder], mapping: small });
    expect(more.runs[0]?.id).toBe('44');
  }, 60_000);

  it('gives two people sending at once two different ids', async () => {
    const { source, db, folders } = await labSource();
    const first = labFolder(folders, 'first_2024-05-06_07-08');
    const second = labFolder(folders, 'second_2024-05-06_07-09');
    const small = { ...mapping, rawData: [] };
    const [a, b] = await Promise.all([
      core.sendRuns({ source, folders: [first], mapping: small }),
      core.sendRuns({ source, folders: [second], mapping: small }),
    ]);
    expect([a.runs[0]?.id, b.runs[0]?.id].sort()).toEqual(['42', '43']);
    const names = await client
      .db(db)
      .collection('runs')
      .find({ _id: { $in: [42, 43] } as never })
      .toArray();
    expect(names.map((run) => (run.experiment as { name: string }).name).sort()).toEqual([
      'first_2024-05-06_07-08',
      'second_2024-05-06_07-09',
    ]);
  }, 60_000);

  it('marks the run FAILED with the reason when a raw file cannot be stored, and leaves it out', async () => {
    const { source, db, folders } = await labSource();
    const folder = labFolder(folders, 'partly_2024-06-07_08-09');
    const localRoot = mkdtempSync(join(root, 'share-'));
    // A file where the video's folder should go: that copy fails, the plot's works.
    writeFileSync(join(localRoot, 'video'), 'in the way');
    const sent = await core.sendRuns({
      source,
      folders: [folder],
      mapping: {
        ...mapping,
        rawData: ['*.mp4', '*.png'],
        rawTo: 'local',
        localRoot,
        bucket: undefined,
      },
    });
    expect(sent.runs[0]).toMatchObject({ id: '42', status: 'FAILED' });
    expect(sent.runs[0]?.reason).toContain('video.mp4');
    const run = (await client
      .db(db)
      .collection('runs')
      .findOne({ _id: 42 as never })) as Document;
    expect(run.status).toBe('FAILED');
    expect((run.fail_trace as string[]).join('')).toContain('video.mp4');
    expect(Object.keys(run.info.dataFiles.raw_data.local)).toEqual(['plot']);
    expect(run.artifacts).toHaveLength(1);
    expect((await core.getRun({ source, id: '42' })).status).toBe('FAILED');
  }, 60_000);

  it('sends the good folders of a batch and says which it did not send and why', async () => {
    const { source, db, folders } = await labSource();
    const good = labFolder(folders, 'good_2024-01-02_10-00');
    const bad = labFolder(folders, 'bad_2024-01-02_11-00', 'time,speed\n0.5,1.5\n1.0,fast\n');
    const later = labFolder(folders, 'later_2024-01-02_12-00');
    const small = { ...mapping, rawData: [] };
    const events: SendProgress[] = [];
    const off = core.on('sendProgress', (progress) => events.push(progress));
    const sent = await core.sendRuns({ source, folders: [good, bad, later], mapping: small });
    off();
    expect(sent.runs.map((run) => [run.folder, run.id, run.status])).toEqual([
      [good, '42', 'COMPLETED'],
      [later, '43', 'COMPLETED'],
    ]);
    expect(sent.notSent).toEqual([
      {
        folder: bad,
        why: 'problems',
        message: expect.stringContaining('metrics.csv: row 3 of column "speed" is not a number'),
        runId: null,
      },
    ]);
    expect(await client.db(db).collection('runs').countDocuments()).toBe(3);
    const done = events.filter((e) => e.phase === 'folder-done');
    expect(done.map((e) => [e.folder, e.folderStatus])).toEqual([
      [bad, 'NOT_SENT'],
      [good, 'COMPLETED'],
      [later, 'COMPLETED'],
    ]);
    expect(events.at(-1)).toMatchObject({ phase: 'done', foldersDone: 3, foldersTotal: 3 });

    // The same batch again after the table is fixed: the two sent are refused, the fixed one
    // goes; with resume they are skipped as done.
    writeFileSync(join(bad, 'metrics.csv'), 'time,speed\n0.5,1.5\n1.0,2\n');
    const rest = await core.sendRuns({
      source,
      folders: [good, bad, later],
      mapping: small,
      resume: true,
    });
    expect(rest.runs.map((run) => [run.folder, run.id, run.status])).toEqual([
      [bad, '44', 'COMPLETED'],
    ]);
    expect(rest.notSent?.map((n) => [n.folder, n.why, n.runId])).toEqual([
      [good, 'sent-already', '42'],
      [later, 'sent-already', '43'],
    ]);
    const nothingLeft = await core.sendRuns({
      source,
      folders: [good, bad, later],
      mapping: small,
      resume: true,
    });
    expect(nothingLeft.runs).toEqual([]);
    expect(await client.db(db).collection('runs').countDocuments()).toBe(4);
  }, 60_000);

  it('sends nothing when no folder of the batch can be sent', async () => {
    const { source, db, folders } = await labSource();
    const bad = labFolder(folders, 'bad_2024-01-02_11-00', 'time,speed\n0.5,1.5\n1.0,fast\n');
    const alsoBad = labFolder(folders, 'worse_2024-01-02_11-00', 'time,speed\n0.5,x\n');
    const keysBefore = await objectKeys();
    const error = await rejection(core.sendRuns({ source, folders: [bad, alsoBad], mapping }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('metrics.csv: row 3 of column "speed" is not a number');
    expect(error.message).toContain('worse_2024-01-02_11-00');
    await expectNothingWritten(db);
    expect(await objectKeys()).toEqual(keysBefore);
    const preview = await core.previewSend({ source, folders: [bad, alsoBad], mapping });
    expect(preview.folders.map((f) => f.problems.length)).toEqual([1, 1]);
  }, 60_000);

  it('leaves no run and no object when the database cannot be reached', async () => {
    const { source, folders } = await labSource();
    const folder = labFolder(folders, 'unreachable_2024-02-03_04-05');
    const other = await startMongoTestServer({
      users: [{ ...ADMIN, roles: [{ role: 'readWrite', db: '*' }] }],
    });
    const otherClient = new MongoClient(
      mongoUriWithCredentials(other.uri, ADMIN.user, ADMIN.password),
    );
    await otherClient.connect();
    await otherClient
      .db('gone')
      .collection('runs')
      .insertOne({ _id: 1 as never });
    await otherClient.close();
    const profile = await core.saveProfile({
      name: 'gone',
      uri: `mongodb://${ADMIN.user}@127.0.0.1:${other.port}/?authSource=admin&serverSelectionTimeoutMS=1500`,
      password: ADMIN.password,
    });
    await core.addMongoSource({ name: `${source}-gone`, profileId: profile.id, database: 'gone' });
    await core.setSourceWrites({ source: `${source}-gone`, enabled: true });
    await other.close();
    const keysBefore = await objectKeys();
    const error = await rejection(
      core.sendRuns({
        source: `${source}-gone`,
        folders: [folder],
        mapping: { ...mapping, rawData: [] },
      }),
    );
    expect(['CONNECTION_FAILED', 'TIMEOUT']).toContain(error.code);
    expect(await objectKeys()).toEqual(keysBefore);
  }, 60_000);

  it('removes what it wrote when the send is cancelled mid-upload', async () => {
    const { source, db, folders } = await labSource();
    const folder = labFolder(folders, 'cancelled_2024-03-04_05-06');
    writeFileSync(join(folder, 'long.mp4'), videoBytes(20 * 1024 * 1024));
    const keysBefore = await objectKeys();
    const off = core.on('sendProgress', (progress) => {
      if (progress.phase === 'uploading' && progress.bytes > 0) {
        void core.cancelSend({ operationId: 'send-cancel' });
      }
    });
    const error = await rejection(
      core.sendRuns({ source, folders: [folder], mapping, operationId: 'send-cancel' }),
    );
    off();
    expect(error.code).toBe('CANCELLED');
    await expectNothingWritten(db);
    expect(await objectKeys()).toEqual(keysBefore);
    expect((await core.cancelSend({ operationId: 'send-cancel' })).cancelled).toBe(false);
  }, 60_000);

  it('resumes a send the S3 server failed mid-upload: the same run, only what had not arrived', async () => {
    const { source, db, folders } = await labSource();
    const folder = labFolder(folders, 'resumed_2024-07-08_09-10');
    const prefix = `${hash7('resumed_2024-07-08_09-10')}-20240708T091000`;
    const notes = Buffer.from('lab notes: mouse M12 was calm\n');
    writeFileSync(join(folder, 'notes.txt'), notes);
    writeFileSync(join(folder, 'events.txt'), 'lick 0.5\nlick 1.0\n');
    const withNotes = { ...mapping, rawData: ['*.mp4', '*.txt'] };
    const videoKey = `video/${prefix}-video.mp4`;
    const notesKey = `notes/${prefix}-notes.txt`;
    const eventsKey = `events/${prefix}-events.txt`;
    // The server fails the video's second part: events.txt, notes.txt and the video's first
    // part have arrived (raw files go in name order).
    s3.intercept(({ method, url }) =>
      method === 'PUT' && url.includes('partNumber=2') ? 500 : null,
    );
    const failed = await core.sendRuns({ source, folders: [folder], mapping: withNotes });
    s3.intercept(null);
    expect(failed.runs).toEqual([
      expect.objectContaining({
        id: '42',
        status: 'FAILED',
        reason: expect.stringContaining('video.mp4'),
      }),
    ]);
    const database = client.db(db);
    const before = (await database.collection('runs').findOne({ _id: 42 as never })) as Document;
    expect(before.status).toBe('FAILED');
    expect(Object.keys(before.info.dataFiles.raw_data.minio)).toEqual(['events', 'notes']);
    const plotFile = await database.collection('fs.files').findOne({});
    const metricIds = (await database.collection('metrics').find({ run_id: 42 }).toArray()).map(
      (m) => String(m._id),
    );
    expect(metricIds).toHaveLength(2);
    expect((await objectKeys()).filter((k) => k.includes(prefix)).sort()).toEqual([
      eventsKey,
      notesKey,
    ]);

    // The preview says it failed earlier and what arrived; a plain send is refused.
    const preview = await core.previewSend({ source, folders: [folder], mapping: withNotes });
    expect(preview.folders[0]).toMatchObject({
      duplicateOf: null,
      failedEarlier: {
        id: '42',
        arrived: 3,
        total: 4,
        reason: expect.stringContaining('video.mp4'),
      },
    });
    const refused = await rejection(
      core.sendRuns({ source, folders: [folder], mapping: withNotes }),
    );
    expect(refused.code).toBe('ALREADY_EXISTS');
    expect(refused.message).toContain('run 42');
    expect(refused.message).toContain('--resume');
    expect(refused.message).toContain('--again');
    expect(await database.collection('runs').countDocuments()).toBe(2);

    // notes.txt on the server is changed behind our back (same size): it has not "arrived".
    const s3c = s3Client();
    const changed = Buffer.from(notes.map((byte) => byte ^ 1));
    await s3c.send(new PutObjectCommand({ Bucket: BUCKET, Key: notesKey, Body: changed }));
    const puts: string[] = [];
    s3.intercept(({ method, url }) => {
      if (method === 'PUT' || method === 'POST')
        puts.push(decodeURIComponent(url.split('?')[0] ?? ''));
      return null;
    });
    const resumed = await core.sendRuns({
      source,
      folders: [folder],
      mapping: withNotes,
      resume: true,
    });
    s3.intercept(null);
    expect(resumed.runs).toEqual([
      { folder, id: '42', status: 'COMPLETED', reason: null, resumed: true, alreadyArrived: 2 },
    ]);
    // Uploaded again: the changed notes and the video; events.txt and the plot (GridFS) not.
    expect([...new Set(puts)].sort()).toEqual([`/${BUCKET}/${notesKey}`, `/${BUCKET}/${videoKey}`]);

    const run = (await database.collection('runs').findOne({ _id: 42 as never })) as Document;
    expect(await database.collection('runs').countDocuments()).toBe(2);
    expect(run.status).toBe('COMPLETED');
    expect(Object.keys(run)).not.toContain('fail_trace');
    expect(run.start_time).toEqual(before.start_time);
    expect(run.config.seed).toBe(before.config.seed);
    expect(Object.keys(run.info.dataFiles.raw_data.minio).sort()).toEqual([
      'events',
      'notes',
      'video',
    ]);
    const files = await database.collection('fs.files').find({}).toArray();
    expect(files.map((f) => [String(f._id), f.filename])).toEqual([
      [String(plotFile?._id), `artifact://runs/42/${prefix}-plot.png`],
    ]);
    expect(run.artifacts).toEqual([{ name: `${prefix}-plot.png`, file_id: plotFile?._id }]);
    const metrics = await database.collection('metrics').find({ run_id: 42 }).toArray();
    expect(metrics.map((m) => String(m._id)).sort()).toEqual([...metricIds].sort());
    expect(run.info.metrics.map((m: { id: string }) => m.id).sort()).toEqual([...metricIds].sort());
    // Every byte right, one object per file.
    expect((await objectKeys()).filter((k) => k.includes(prefix)).sort()).toEqual([
      eventsKey,
      notesKey,
      videoKey,
    ]);
    const readObject = async (key: string): Promise<Buffer> => {
      const object = await s3c.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    };
    expect((await readObject(videoKey)).equals(video)).toBe(true);
    expect((await readObject(notesKey)).equals(notes)).toBe(true);
    s3c.destroy();
    const stream = await core.openArtifact(
      (await core.getRun({ source, id: '42' })).artifacts[0]?.id ?? '',
    );
    expect((await readAll(stream!.open())).equals(png)).toBe(true);
    expect((await core.getRun({ source, id: '42' })).status).toBe('COMPLETED');

    // Done: resuming again changes nothing; sending again without --again is refused.
    const again = await core.sendRuns({
      source,
      folders: [folder],
      mapping: withNotes,
      resume: true,
    });
    expect(again.runs).toEqual([]);
    expect(again.notSent).toEqual([
      expect.objectContaining({ folder, why: 'sent-already', runId: '42' }),
    ]);
  }, 90_000);

  it('a cancelled resume leaves the run FAILED with what arrived; the next resume completes it', async () => {
    const { source, db, folders } = await labSource();
    const folder = labFolder(folders, 'twice_2024-07-08_09-11');
    s3.intercept(({ method, url }) =>
      method === 'PUT' && url.includes('partNumber=2') ? 500 : null,
    );
    const failed = await core.sendRuns({ source, folders: [folder], mapping });
    s3.intercept(null);
    expect(failed.runs[0]).toMatchObject({ id: '42', status: 'FAILED' });
    const off = core.on('sendProgress', (progress) => {
      if (progress.phase === 'uploading' && progress.bytes > 0) {
        void core.cancelSend({ operationId: 'resume-cancel' });
      }
    });
    const cancelled = await rejection(
      core.sendRuns({
        source,
        folders: [folder],
        mapping,
        resume: true,
        operationId: 'resume-cancel',
      }),
    );
    off();
    expect(cancelled.code).toBe('CANCELLED');
    const database = client.db(db);
    const run = (await database.collection('runs').findOne({ _id: 42 as never })) as Document;
    expect(run.status).toBe('FAILED');
    expect((run.fail_trace as string[]).join('')).toContain('cancelled');
    expect(await database.collection('fs.files').countDocuments()).toBe(1);
    const resumed = await core.sendRuns({ source, folders: [folder], mapping, resume: true });
    expect(resumed.runs[0]).toMatchObject({ id: '42', status: 'COMPLETED', alreadyArrived: 1 });
    expect(await database.collection('runs').countDocuments()).toBe(2);
    expect(await database.collection('fs.files').countDocuments()).toBe(1);
    expect(await database.collection('metrics').countDocuments()).toBe(2);
  }, 90_000);

  it('resumes a send to a folder source that failed part-way, in the same run folder', async () => {
    const runsFolder = mkdtempSync(join(root, 'disk-'));
    const localRoot = mkdtempSync(join(root, 'share-'));
    const folders = mkdtempSync(join(root, 'folders-'));
    const folder = labFolder(folders, 'disk_2024-08-09_10-11');
    const prefix = `${hash7('disk_2024-08-09_10-11')}-20240809T101100`;
    await core.addFolderSource({ name: 'disk-resume', path: runsFolder });
    await core.setSourceWrites({ source: 'disk-resume', enabled: true });
    const toDisk: SendMapping = {
      ...mapping,
      rawData: ['*.mp4', '*.png'],
      rawTo: 'local',
      localRoot,
      bucket: undefined,
    };
    // A file where the video's folder should go: the plot's copy arrives, the video's fails.
    writeFileSync(join(localRoot, 'video'), 'in the way');
    const failed = await core.sendRuns({
      source: 'disk-resume',
      folders: [folder],
      mapping: toDisk,
    });
    expect(failed.runs[0]).toMatchObject({ id: '1', status: 'FAILED' });
    const runJson = (): Record<string, unknown> =>
      JSON.parse(readFileSync(join(runsFolder, '1', 'run.json'), 'utf8')) as Record<
        string,
        unknown
      >;
    expect(runJson().status).toBe('FAILED');
    const plotCopy = join(localRoot, 'plot', `${prefix}-plot.png`);
    expect(readFileSync(plotCopy).equals(png)).toBe(true);

    const preview = await core.previewSend({
      source: 'disk-resume',
      folders: [folder],
      mapping: toDisk,
    });
    expect(preview.folders[0]?.failedEarlier).toMatchObject({ id: '1', arrived: 2, total: 3 });
    const refused = await rejection(
      core.sendRuns({ source: 'disk-resume', folders: [folder], mapping: toDisk }),
    );
    expect(refused.code).toBe('ALREADY_EXISTS');
    expect(refused.message).toContain('--resume');

    rmSync(join(localRoot, 'video'));
    const resumed = await core.sendRuns({
      source: 'disk-resume',
      folders: [folder],
      mapping: toDisk,
      resume: true,
    });
    // The plot's raw copy and its artifact had arrived; only the video was copied.
    expect(resumed.runs).toEqual([
      { folder, id: '1', status: 'COMPLETED', reason: null, resumed: true, alreadyArrived: 2 },
    ]);
    expect(readdirSync(runsFolder)).toEqual(['1']);
    expect(runJson()).toMatchObject({ status: 'COMPLETED', artifacts: [`${prefix}-plot.png`] });
    expect(Object.keys(runJson())).not.toContain('fail_trace');
    expect(readdirSync(join(runsFolder, '1')).filter((name) => name.endsWith('.png'))).toEqual([
      `${prefix}-plot.png`,
    ]);
    const info = JSON.parse(readFileSync(join(runsFolder, '1', 'info.json'), 'utf8'));
    expect(Object.keys(info.dataFiles.raw_data.local).sort()).toEqual(['plot', 'video']);
    expect(readFileSync(join(localRoot, 'video', `${prefix}-video.mp4`)).equals(video)).toBe(true);
    expect(readdirSync(join(localRoot, 'video'))).toEqual([`${prefix}-video.mp4`]);
    expect((await core.getRun({ source: 'disk-resume', id: '1' })).status).toBe('COMPLETED');
  }, 60_000);

  it('keeps the good runs of a batch where one folder fails part-way, and resumes the rest', async () => {
    const runsFolder = mkdtempSync(join(root, 'disk-'));
    const localRoot = mkdtempSync(join(root, 'share-'));
    const folders = mkdtempSync(join(root, 'folders-'));
    const names = ['a_2024-10-01_10-00', 'b_2024-10-01_11-00', 'c_2024-10-01_12-00'];
    const batch = names.map((name) => labFolder(folders, name));
    // A folder where b's copy of plot.png should go: that copy fails, a's and c's do not.
    const inTheWay = join(localRoot, 'plot', `${hash7(names[1] ?? '')}-20241001T110000-plot.png`);
    mkdirSync(inTheWay, { recursive: true });
    writeFileSync(join(inTheWay, 'file'), 'in the way');
    await core.addFolderSource({ name: 'disk-batch', path: runsFolder });
    await core.setSourceWrites({ source: 'disk-batch', enabled: true });
    const toDisk: SendMapping = {
      config: { file: 'config.yaml' },
      artifacts: ['*.png'],
      rawData: ['*.png'],
      rawTo: 'local',
      localRoot,
    };
    const first = await core.sendRuns({ source: 'disk-batch', folders: batch, mapping: toDisk });
    expect(first.runs.map((run) => [run.folder, run.id, run.status])).toEqual([
      [batch[0], '1', 'COMPLETED'],
      [batch[1], '2', 'FAILED'],
      [batch[2], '3', 'COMPLETED'],
    ]);
    expect(first.notSent).toEqual([]);

    rmSync(inTheWay, { recursive: true });
    const rest = await core.sendRuns({
      source: 'disk-batch',
      folders: batch,
      mapping: toDisk,
      resume: true,
    });
    expect(rest.runs).toEqual([
      {
        folder: batch[1],
        id: '2',
        status: 'COMPLETED',
        reason: null,
        resumed: true,
        alreadyArrived: 1,
      },
    ]);
    expect(rest.notSent?.map((n) => [n.folder, n.why, n.runId])).toEqual([
      [batch[0], 'sent-already', '1'],
      [batch[2], 'sent-already', '3'],
    ]);
    expect(readdirSync(runsFolder).sort()).toEqual(['1', '2', '3']);
    expect((await core.getRun({ source: 'disk-batch', id: '2' })).status).toBe('COMPLETED');
    expect(readdirSync(join(localRoot, 'plot')).sort()).toEqual(
      names.map((name, i) => `${hash7(name)}-20241001T1${i}0000-plot.png`).sort(),
    );
  }, 60_000);

  it('stops a batch at an error that leaves no run, and the rest is sent by a resume', async () => {
    const runsFolder = mkdtempSync(join(root, 'disk-'));
    const folders = mkdtempSync(join(root, 'folders-'));
    const batch = ['x_2024-11-01_10-00', 'y_2024-11-01_11-00', 'z_2024-11-01_12-00'].map((name) =>
      labFolder(folders, name),
    );
    await core.addFolderSource({ name: 'disk-stop', path: runsFolder });
    await core.setSourceWrites({ source: 'disk-stop', enabled: true });
    const small: SendMapping = { config: { file: 'config.yaml' }, artifacts: ['*.png'] };
    // Once the first folder is done, the runs folder is gone (a file in its place): the next
    // run cannot even be created.
    const aside = `${runsFolder}-aside`;
    const off = core.on('sendProgress', (progress) => {
      if (progress.phase === 'folder-done' && progress.folder === batch[0]) {
        renameSync(runsFolder, aside);
        writeFileSync(runsFolder, 'not a folder');
      }
    });
    const first = await core.sendRuns({ source: 'disk-stop', folders: batch, mapping: small });
    off();
    expect(first.runs.map((run) => [run.folder, run.id, run.status])).toEqual([
      [batch[0], '1', 'COMPLETED'],
    ]);
    expect(first.notSent?.map((n) => [n.folder, n.why])).toEqual([
      [batch[1], 'error'],
      [batch[2], 'not-attempted'],
    ]);
    rmSync(runsFolder);
    renameSync(aside, runsFolder);
    expect(readdirSync(runsFolder)).toEqual(['1']);
    const rest = await core.sendRuns({
      source: 'disk-stop',
      folders: batch,
      mapping: small,
      resume: true,
    });
    expect(rest.runs.map((run) => [run.folder, run.id, run.status, run.resumed])).toEqual([
      [batch[1], '2', 'COMPLETED', undefined],
      [batch[2], '3', 'COMPLETED', undefined],
    ]);
    expect(rest.notSent?.map((n) => [n.folder, n.why])).toEqual([[batch[0], 'sent-already']]);
  }, 60_000);

  it('a resume removes the GridFS chunks a killed artifact upload left', async () => {
    const { source, db, folders } = await labSource();
    const name = 'chunks_2024-07-08_09-12';
    const folder = labFolder(folders, name);
    const prefix = `${hash7(name)}-20240708T091200`;
    s3.intercept(({ method, url }) =>
      method === 'PUT' && url.includes('partNumber=2') ? 500 : null,
    );
    expect((await core.sendRuns({ source, folders: [folder], mapping })).runs[0]?.status).toBe(
      'FAILED',
    );
    s3.intercept(null);
    // A second artifact whose upload was killed after its first chunk: chunks, no fs.files.
    const second = Buffer.from(png.map((byte) => byte ^ 0x55));
    writeFileSync(join(folder, 'second.png'), second);
    const database = client.db(db);
    const run = (await database.collection('runs').findOne({ _id: 42 as never })) as Document;
    const orphanId = new ObjectId(
      artifactFileId(run.start_time as Date, `artifact://runs/42/${prefix}-second.png`),
    );
    await database
      .collection('fs.chunks')
      .insertOne({ files_id: orphanId, n: 0, data: new Binary(Buffer.from('half a file')) });

    const resumed = await core.sendRuns({ source, folders: [folder], mapping, resume: true });
    expect(resumed.runs[0]).toMatchObject({ id: '42', status: 'COMPLETED', alreadyArrived: 1 });
    const files = await database.collection('fs.files').find({}).toArray();
    expect(files.map((file) => file.filename).sort()).toEqual([
      `artifact://runs/42/${prefix}-plot.png`,
      `artifact://runs/42/${prefix}-second.png`,
    ]);
    const chunkOwners = await database.collection('fs.chunks').distinct('files_id');
    expect(chunkOwners.map(String).sort()).toEqual(files.map((file) => String(file._id)).sort());
    const detail = await core.getRun({ source, id: '42' });
    const stream = await core.openArtifact(
      detail.artifacts.find((a) => a.name === `${prefix}-second.png`)?.id ?? '',
    );
    expect((await readAll(stream!.open())).equals(second)).toBe(true);
  }, 90_000);

  it('refuses a source whose writes are off', async () => {
    const { source, db, folders } = await labSource();
    await core.setSourceWrites({ source, enabled: false });
    const error = await rejection(
      core.sendRuns({
        source,
        folders: [labFolder(folders)],
        mapping: { ...mapping, rawData: [] },
      }),
    );
    expect(error.code).toBe('READ_ONLY');
    await expectNothingWritten(db);
  }, 30_000);

  it('writes a FileStorageObserver run to a folder source, raw data copied to a local root', async () => {
    const runsFolder = mkdtempSync(join(root, 'disk-'));
    const localRoot = mkdtempSync(join(root, 'share-'));
    const folders = mkdtempSync(join(root, 'folders-'));
    const folder = labFolder(folders);
    await core.addFolderSource({ name: 'disk', path: runsFolder });
    await core.setSourceWrites({ source: 'disk', enabled: true });
    const sent = await core.sendRuns({
      source: 'disk',
      folders: [folder],
      mapping: {
        ...mapping,
        rawData: ['*.mp4', '*.png'],
        rawTo: 'local',
        localRoot,
        bucket: undefined,
      },
    });
    expect(sent.runs).toEqual([{ folder, id: '1', status: 'COMPLETED', reason: null }]);
    const dir = join(runsFolder, '1');
    expect(readdirSync(dir).sort()).toEqual(
      [
        'config.json',
        'cout.txt',
        'info.json',
        'metrics.json',
        'run.json',
        `${PREFIX}-plot.png`,
      ].sort(),
    );
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run).toMatchObject({
      command: 'run',
      status: 'COMPLETED',
      artifacts: [`${PREFIX}-plot.png`],
      experiment: { name: FOLDER },
      result: { accuracy: 0.93, label: 'good' },
    });
    expect(run.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/u);
    const info = JSON.parse(readFileSync(join(dir, 'info.json'), 'utf8'));
    expect(info.dataFiles.raw_data).toEqual({
      minio: {},
      local: {
        video: {
          type: 'mp4',
          fileName: `${PREFIX}-video.mp4`,
          size: '9.00 Mo',
          local_path: `${localRoot}/video`,
        },
        plot: {
          type: 'png',
          fileName: `${PREFIX}-plot.png`,
          size: `${png.length} o`,
          local_path: `${localRoot}/plot`,
        },
      },
    });
    // One folder per stem, never nested (the old sender nested one per extra file).
    expect(readFileSync(join(localRoot, 'video', `${PREFIX}-video.mp4`)).equals(video)).toBe(true);
    expect(existsSync(join(localRoot, 'plot', `${PREFIX}-plot.png`))).toBe(true);
    const detail = await core.getRun({ source: 'disk', id: '1' });
    expect(detail.status).toBe('COMPLETED');
    expect(detail.config).toMatchObject({ experiment: FOLDER, mouse: 'M12' });
    expect(
      Array.from((await core.getMetric({ source: 'disk', id: '1', name: 'licks' })).values),
    ).toEqual([3, 4]);
    const again = await rejection(
      core.sendRuns({
        source: 'disk',
        folders: [folder],
        mapping: {
          ...mapping,
          rawData: ['*.mp4', '*.png'],
          rawTo: 'local',
          localRoot,
          bucket: undefined,
        },
      }),
    );
    expect(again.code).toBe('ALREADY_EXISTS');
  }, 60_000);
});
