// GridFS through the MongoDB test server with the official Node driver, and with
// pymongo when a Python that has it is installed (Debian's python3-pymongo).
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GridFSBucket, MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';

const pythonCheck = fileURLToPath(
  new URL('../support/mongo-test-server/pymongo-gridfs-check.py', import.meta.url),
);

function pythonWithPymongo(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import pymongo, gridfs'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next interpreter
    }
  }
  return undefined;
}

let server: MongoTestServer;
let client: MongoClient;
let db: Db;
let uri: string;

beforeAll(async () => {
  server = await startMongoTestServer({
    users: [{ user: 'writer', password: 'secret', roles: [{ role: 'readWrite', db: '*' }] }],
  });
  uri = mongoUriWithCredentials(server.uri, 'writer', 'secret');
  client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  db = client.db('files');
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

async function upload(bucket: GridFSBucket, name: string, data: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const stream = bucket.openUploadStream(name);
    stream.once('error', reject);
    stream.once('finish', () => resolve());
    stream.end(data);
  });
}

async function download(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('GridFS with the Node driver', () => {
  it('uploads 1 MB and streams it back byte for byte, by id and by name', async () => {
    const bucket = new GridFSBucket(db);
    const data = randomBytes(1024 * 1024);
    await upload(bucket, 'artifact.bin', data);
    const [file] = await bucket.find({ filename: 'artifact.bin' }).toArray();
    expect(file?.length).toBe(data.length);
    expect(await db.collection('fs.chunks').countDocuments({ files_id: file?._id })).toBe(5);
    expect((await download(bucket.openDownloadStream(file!._id))).equals(data)).toBe(true);
    expect((await download(bucket.openDownloadStreamByName('artifact.bin'))).equals(data)).toBe(
      true,
    );
    const partial = await download(
      bucket.openDownloadStreamByName('artifact.bin', { start: 300_000, end: 300_010 }),
    );
    expect(partial.equals(data.subarray(300_000, 300_010))).toBe(true);
  });

  it('fails to download a file that does not exist', async () => {
    const bucket = new GridFSBucket(db);
    await expect(download(bucket.openDownloadStreamByName('nope.bin'))).rejects.toThrow(
      /FileNotFound|no file/iu,
    );
  });
});

const python = pythonWithPymongo();

describe.skipIf(!python)('GridFS with pymongo', () => {
  it('round-trips a file and reads the one the Node driver wrote', async () => {
    const nodeData = Buffer.from('written by the node driver\n'.repeat(1000));
    await upload(new GridFSBucket(db), 'from-node.txt', nodeData);
    const { stdout } = await promisify(execFile)(
      python!,
      [pythonCheck, uri, 'files', 'from-node.txt'],
      {
        encoding: 'utf8',
      },
    );
    const seen = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(seen.roundTrip).toBe(true);
    expect(seen.chunks).toBe(3);
    expect(seen.nodeFileSha256).toBe(createHash('sha256').update(nodeData).digest('hex'));
    const fromPython = await download(
      new GridFSBucket(db).openDownloadStreamByName('from-python.bin'),
    );
    expect(createHash('sha256').update(fromPython).digest('hex')).toBe(seen.pythonSha256);
  });
});
