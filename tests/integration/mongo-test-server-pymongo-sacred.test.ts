// Sacred 0.8.7's MongoObserver calls, made by pymongo (Debian's python3-pymongo) against the
// test server, so a server change that would refuse or distort Sacred's writes fails here
// even without the recorded traces (sacred-wire-replay.test.ts).
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';

const observerScript = fileURLToPath(
  new URL('../support/mongo-test-server/pymongo-sacred-observer.py', import.meta.url),
);

function pythonWithPymongo(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import pymongo, gridfs'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next interpreter
    }
  }
  return undefined;
}

const python = pythonWithPymongo();
let server: MongoTestServer;

beforeAll(async () => {
  server = await startMongoTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe.skipIf(!python)("pymongo doing what Sacred's MongoObserver does", () => {
  it('records completed, failed and re-inserted runs, metrics and an artifact as mongod keeps them', async () => {
    const { stdout } = await promisify(execFile)(python!, [observerScript, server.uri, 'lab'], {
      encoding: 'utf8',
    });
    const seen = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(seen).toMatchObject({
      ids: [1, 2, 'alice-custom-1'],
      statuses: { '1': 'COMPLETED', '2': 'FAILED', 'alice-custom-1': 'INTERRUPTED' },
      lossValues: [1, 0.5, 0.25],
      lossPoints: 3,
      metricRef: true,
      artifactRoundTrip: true,
      sourcesShared: true,
      failTrace: ['Traceback:\n', 'ValueError\n'],
      immutableCode: 66,
      // pymongo's monitor streams awaited heartbeats, as against mongod >= 4.4.
      awaitedHeartbeats: true,
      failedHeartbeats: 0,
    });
    // Whole doubles stay floats for Python (Sacred's tau=10.0, a metric value 1.0).
    expect(seen.types).toEqual({
      tau: 'float',
      seed: 'int',
      result: 'float',
      lossValues: ['float', 'float', 'float'],
      lossSteps: ['int', 'int', 'int'],
    });
  });
});
