// Recorded traffic of real Sacred 0.8.7 (pymongo 3.11) replayed against the test server:
// every request of every `trace-*.jsonl` beside the clone (../shared/sacred-wire-traces;
// a new recording dropped there is picked up as is), each reply's outcome as mongod gave it,
// the final collections equal to `final-*.json` (numbers by value, key order ignored) with
// the number types the client sent, and then the runs read through the app's MongoDB
// reader equal to those documents.
import { EJSON } from 'bson';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { toJsonSafe } from '../../shared/json-safe';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import {
  TRACE_DIR,
  TRACE_USER,
  byType,
  byValue,
  loadFinal,
  loadTrace,
  needsAuthentication,
  replayTrace,
  traceNames,
} from '../support/sacred-wire-replay';
import type { ReplayReport } from '../support/sacred-wire-replay';

const scenarios = traceNames();

it(`finds the recorded traces in ${TRACE_DIR}`, () => {
  expect(scenarios.length).toBeGreaterThan(0);
});

type Collections = Record<string, Document[]>;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stored value as the app shows it (JSON; non-finite numbers as strings). */
function asShown(value: unknown): unknown {
  if (value === undefined) return null;
  return toJsonSafe(
    EJSON.parse(EJSON.stringify({ v: value }, { relaxed: false }), { relaxed: true }).v,
  );
}

function hexOf(value: unknown): string {
  return typeof value === 'string' ? value : (value as { toHexString(): string }).toHexString();
}

describe.each(scenarios)('Sacred trace "%s"', (scenario) => {
  const lines = loadTrace(scenario);
  const final = loadFinal(scenario);
  const auth = needsAuthentication(lines);
  let server: MongoTestServer;
  let report: ReplayReport;
  let uri: string;
  /** What the server holds after the replay, numbers not promoted. */
  const stored: Collections = {};

  beforeAll(async () => {
    server = await startMongoTestServer(auth ? { users: [TRACE_USER] } : {});
    report = await replayTrace(lines, server.port);
    uri = auth
      ? mongoUriWithCredentials(server.uri, TRACE_USER.user, TRACE_USER.password)
      : server.uri;
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    try {
      const db = client.db(report.database);
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
        stored[name] = await db
          .collection(name)
          .find({}, { sort: { _id: 1 }, promoteValues: false })
          .toArray();
      }
    } finally {
      await client.close();
    }
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers every request with the recorded outcome and reply', () => {
    expect(report.requests).toBe(lines.length);
    expect(report.mismatches).toEqual([]);
    if (auth) expect(report.authenticated).toBe(true);
  });

  it('ends with the recorded collections, numbers compared by value', () => {
    expect(Object.keys(stored).sort()).toEqual(Object.keys(final).sort());
    for (const [name, docs] of Object.entries(final)) {
      expect(
        (stored[name] ?? []).map((doc) => byValue(doc, report.ids)),
        `collection ${name}`,
      ).toEqual(docs.map((doc) => byValue(doc, report.ids)));
    }
  });

  it('keeps every number with the BSON type the client sent', () => {
    const checked: string[] = [];
    for (const name of report.expected.names()) {
      const byId = new Map(
        (stored[name] ?? []).map((doc) => [JSON.stringify(byValue(doc._id, report.ids)), doc]),
      );
      for (const doc of report.expected.docs(name)) {
        if (report.expected.untyped.has(doc)) continue;
        const key = JSON.stringify(byValue(doc._id, report.ids));
        expect(byType(byId.get(key)), `${name} ${key}`).toEqual(byType(doc));
        checked.push(`${name} ${key}`);
      }
    }
    expect(checked.length).toBe(Object.values(final).reduce((sum, docs) => sum + docs.length, 0));
    // The README's examples of types a server must not change.
    for (const file of stored['fs.files'] ?? []) expect(file.length?._bsontype).toBe('Long');
    for (const run of stored.runs ?? []) {
      const epochs = (run.config as Document | undefined)?.epochs;
      if (epochs !== undefined) expect(epochs._bsontype).toBe('Double');
    }
  });

  describe('read through the app', () => {
    let core: AltarCore;
    let dataDir: string;
    /** Source name per runs collection. */
    const sources = new Map<string, { source: string; prefix: string | null }>();

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), `altar-replay-${scenario}-`));
      core = createAltarCore({ dataDir, door: 'direct' });
      const profile = await core.saveProfile({ name: 'replay', uri });
      for (const collection of Object.keys(final).filter((name) => /(^|_)runs$/u.test(name))) {
        const prefix = collection === 'runs' ? null : collection.slice(0, -'_runs'.length);
        const source = prefix === null ? 'main' : prefix;
        await core.addMongoSource({
          name: source,
          profileId: profile.id,
          database: report.database,
          prefix,
        });
        sources.set(collection, { source, prefix });
      }
    });

    afterAll(async () => {
      await core?.close();
      if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    });

    it('shows each run with its status, config, result, output and failure', async () => {
      for (const [collection, { source }] of sources) {
        const runs = final[collection] ?? [];
        const listed = await core.listRuns({ source });
        expect(listed.total, collection).toBe(runs.length);
        for (const doc of runs) {
          const id = String(doc._id);
          const run = await core.getRun({ source, id });
          expect(run.status, `${collection} ${id}`).toBe(doc.status);
          expect(run.config).toEqual(asShown(doc.config));
          expect(run.result).toEqual(asShown(doc.result));
          expect(run.failTrace).toEqual(doc.fail_trace ?? null);
          const output = await core.getCapturedOutput({ source, id });
          expect(output.text).toBe(doc.captured_out ?? '');
        }
      }
    });

    it('gives every metric point Sacred pushed', async () => {
      for (const [collection, { source, prefix }] of sources) {
        const metricDocs = final[prefix === null ? 'metrics' : `${prefix}_metrics`] ?? [];
        for (const doc of final[collection] ?? []) {
          const refs = ((doc.info as Document | undefined)?.metrics ?? []) as Document[];
          for (const ref of refs) {
            const metric = metricDocs.find((m) => hexOf(m._id) === ref.id);
            expect(metric, `${collection} ${String(doc._id)} ${String(ref.name)}`).toBeDefined();
            const series = await core.getMetric({ source, id: String(doc._id), name: ref.name });
            const numbers = (values: unknown[]) =>
              values.map((v) => Number(byValue(v, report.ids)));
            expect([...series.steps]).toEqual(numbers(metric!.steps));
            expect([...series.values]).toEqual(numbers(metric!.values));
            expect([...series.timestamps]).toEqual(
              (metric!.timestamps as Date[]).map((time) => time.getTime()),
            );
          }
        }
      }
    });

    it('gives every artifact byte stored in GridFS', async () => {
      const chunks = final['fs.chunks'] ?? [];
      for (const [collection, { source }] of sources) {
        for (const doc of final[collection] ?? []) {
          const run = await core.getRun({ source, id: String(doc._id) });
          for (const artifact of (doc.artifacts ?? []) as Document[]) {
            const expected = Buffer.concat(
              chunks
                .filter((chunk) => hexOf(chunk.files_id) === hexOf(artifact.file_id))
                .sort((a, b) => Number(byValue(a.n, report.ids)) - Number(byValue(b.n, report.ids)))
                .map((chunk) => Buffer.from((chunk.data as { buffer: Uint8Array }).buffer)),
            );
            const ref = run.artifacts.find((candidate) => candidate.name === artifact.name);
            expect(ref, `${String(doc._id)} ${String(artifact.name)}`).toBeDefined();
            const stream = await core.openArtifact(ref!.id);
            const bytes = await readAll(stream?.open() as Readable);
            expect(bytes.length).toBe(expected.length);
            expect(bytes.equals(expected)).toBe(true);
          }
        }
      }
    });
  });
});
