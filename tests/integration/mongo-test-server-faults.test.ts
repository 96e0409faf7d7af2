// Fault injection of the MongoDB test server and its command-line entry point.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MongoClient,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverFor(
  options: Parameters<typeof startMongoTestServer>[0],
): Promise<MongoTestServer> {
  const server = await startMongoTestServer(options);
  cleanups.push(() => server.close());
  return server;
}

function clientFor(
  uri: string,
  options: ConstructorParameters<typeof MongoClient>[1] = {},
): MongoClient {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000, ...options });
  cleanups.push(() => client.close());
  return client;
}

describe('fault injection', () => {
  it('drops connections after N replies, so operations fail with a network error', async () => {
    const server = await serverFor({});
    const runs = clientFor(server.uri).db('db').collection('runs');
    await runs.insertOne({ n: 1 });
    server.setFaults({ dropAfterReplies: 1 });
    expect(await runs.findOne({})).toMatchObject({ n: 1 });
    await expect(runs.findOne({})).rejects.toBeInstanceOf(MongoNetworkError);
    await expect(runs.insertOne({ n: 2 })).rejects.toBeInstanceOf(MongoNetworkError);
    server.setFaults({});
    expect(await runs.countDocuments({})).toBe(1);
  });

  it('delays replies: a short socket timeout fails, a patient client gets the data', async () => {
    const server = await serverFor({});
    await clientFor(server.uri).db('db').collection('runs').insertOne({ n: 1 });
    // Wide margins both ways: an undelayed reply arrives well within 2 s even on a loaded
    // machine, and a 5 s delay is far past it.
    const impatient = clientFor(server.uri, { socketTimeoutMS: 2000 }).db('db').collection('runs');
    expect(await impatient.findOne({})).toMatchObject({ n: 1 });
    server.setFaults({ delayMs: 5000 });
    await expect(impatient.findOne({})).rejects.toBeInstanceOf(MongoNetworkError);
    // Its handshake is delayed too: server selection waits for it.
    const patient = clientFor(server.uri, { serverSelectionTimeoutMS: 20_000 })
      .db('db')
      .collection('runs');
    expect(await patient.findOne({})).toMatchObject({ n: 1 });
  }, 60_000);

  it('a silent server makes the driver give up on server selection', async () => {
    const server = await serverFor({ faults: { silent: true } });
    const client = clientFor(server.uri, { serverSelectionTimeoutMS: 400, connectTimeoutMS: 300 });
    await expect(client.connect()).rejects.toBeInstanceOf(MongoServerSelectionError);
  });

  it('refuseAuth fails even the right password with code 18', async () => {
    const server = await serverFor({
      users: [{ user: 'u', password: 'p', roles: [{ role: 'readWrite', db: '*' }] }],
      faults: { refuseAuth: true },
    });
    const error = await clientFor(mongoUriWithCredentials(server.uri, 'u', 'p'))
      .connect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(18);
    server.setFaults({});
    const client = clientFor(mongoUriWithCredentials(server.uri, 'u', 'p'));
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});

describe('mongoUriWithCredentials', () => {
  it('puts escaped credentials and authSource into the URI', () => {
    expect(mongoUriWithCredentials('mongodb://127.0.0.1:1234', 'a@b', 'p:w/x')).toBe(
      'mongodb://a%40b:p%3Aw%2Fx@127.0.0.1:1234/?authSource=admin',
    );
    expect(
      mongoUriWithCredentials('mongodb://old:pw@h:1/sacred?tls=false', 'u', 'p', 'sacred'),
    ).toBe('mongodb://u:p@h:1/sacred?tls=false&authSource=sacred');
    expect(() => mongoUriWithCredentials('http://x', 'u', 'p')).toThrow(/not a MongoDB/u);
  });
});

describe('npm run mongo-test-server', () => {
  function start(args: string[]) {
    const child = spawn('npm', ['run', '--silent', 'mongo-test-server', '--', ...args], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    const firstLine = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const end = stdout.indexOf('\n');
        if (end >= 0) resolve(stdout.slice(0, end));
      });
      void exited.then(([code]) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    firstLine.catch(() => undefined); // only the test that awaits it cares
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
    };
    return { firstLine, exited, stop, stderr: () => stderr };
  }

  it('prints the listening line first and serves authenticated clients until killed', async () => {
    const cli = start([
      '--port',
      '0',
      '--user',
      'altar',
      '--password',
      'pw',
      '--read-user',
      'viewer',
      '--read-password',
      'vpw',
    ]);
    cleanups.push(cli.stop);
    const line = await cli.firstLine;
    const match = /^listening on (mongodb:\/\/127\.0\.0\.1:(\d+))$/u.exec(line);
    expect(match).not.toBeNull();
    expect(Number(match![2])).toBeGreaterThan(0);
    const writer = clientFor(mongoUriWithCredentials(match![1]!, 'altar', 'pw'));
    await writer.db('sacred').collection('runs').insertOne({ ok: true });
    const reader = clientFor(mongoUriWithCredentials(match![1]!, 'viewer', 'vpw'));
    expect(await reader.db('sacred').collection('runs').countDocuments({})).toBe(1);
    await expect(reader.db('sacred').collection('runs').insertOne({})).rejects.toMatchObject({
      code: 13,
    });
    await cli.stop();
  });

  it('serves a TLS replica set whose CA it writes to --tls-dir, as the first line says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'altar-cli-tls-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const cli = start(['--port', '0', '--tls-dir', dir, '--replica-set', 'rs9', '--members', '2']);
    cleanups.push(cli.stop);
    const line = await cli.firstLine;
    const match = /^listening on (mongodb:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\/\?\S+)$/u.exec(
      line,
    );
    expect(match).not.toBeNull();
    const params = new URLSearchParams(match![1]!.split('?')[1]);
    expect(params.get('replicaSet')).toBe('rs9');
    expect(params.get('tls')).toBe('true');
    expect(params.get('tlsCAFile')).toBe(join(dir, 'ca.pem'));
    expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/u);
    const client = clientFor(match![1]!);
    await client.db('sacred').collection('runs').insertOne({ ok: true });
    expect(await client.db('sacred').collection('runs').countDocuments({})).toBe(1);
    await cli.stop();
  }, 30_000);

  it('exits with a usage error for a bad port', async () => {
    const cli = start(['--port', 'nope']);
    cleanups.push(cli.stop);
    const [code] = await cli.exited;
    expect(code).toBe(2);
    expect(cli.stderr()).toMatch(/invalid --port/u);
  });
});
