// A test MongoDB server with Sacred runs in it, for end-to-end tests and manual tries:
//   tsx tests/support/seeded-mongo-server.ts [--runs N] [--seed S] [--prefix P] [--samples]
//     [--tls-dir DIR]
// --samples adds the real Sacred sample documents (one database each, sacred-mongo-samples.ts)
// and a database `odd` of run documents that stretch the readers.
// Users: "admin"/"admin-pw" (readWrite), "reader"/"reader-pw" (read only) and "lab-root"/
// "root-pw" (root: may manage users, as the lab docker-compose's root user), all in admin.
// --tls-dir serves TLS only, with a new CA written to DIR/ca.pem (and a CA that did not sign
// the server's certificate to DIR/other-ca.pem, for failure tests).
// Prints one JSON line {uri, database, prefix, pngRunId, caFile?, otherCaFile?} and serves
// until killed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { settledWithin } from '../../main/core/settled-within';
import {
  generateTestCertificates,
  mongoUriWithCredentials,
  startMongoTestServer,
} from './mongo-test-server';
import { generateSacredMongo } from './sacred-mongo-generator';
import { seedMongoSamples, seedOddMongoRuns } from './sacred-mongo-samples';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '24' },
    seed: { type: 'string', default: '5' },
    prefix: { type: 'string' },
    database: { type: 'string', default: 'sacred' },
    samples: { type: 'boolean', default: false },
    'tls-dir': { type: 'string' },
  },
});

let tls: { caFile: string; otherCaFile: string; cert: string; key: string } | null = null;
if (values['tls-dir'] !== undefined) {
  const dir = resolve(values['tls-dir']);
  mkdirSync(dir, { recursive: true });
  const certificates = generateTestCertificates();
  tls = {
    caFile: join(dir, 'ca.pem'),
    otherCaFile: join(dir, 'other-ca.pem'),
    cert: certificates.certPem,
    key: certificates.keyPem,
  };
  writeFileSync(tls.caFile, certificates.caPem);
  writeFileSync(tls.otherCaFile, generateTestCertificates().caPem);
}

const server = await startMongoTestServer({
  users: [
    { user: 'admin', password: 'admin-pw', roles: [{ role: 'readWrite', db: '*' }] },
    { user: 'reader', password: 'reader-pw', roles: [{ role: 'read', db: '*' }] },
    { user: 'lab-root', password: 'root-pw', roles: [{ role: 'root', db: '*' }] },
  ],
  ...(tls === null ? {} : { tls: { cert: tls.cert, key: tls.key } }),
});
const client = new MongoClient(
  mongoUriWithCredentials(server.uri, 'admin', 'admin-pw'),
  tls === null ? {} : { tls: true, tlsCAFile: tls.caFile },
);
await client.connect();
const generated = await generateSacredMongo(client.db(values.database), {
  runs: Number(values.runs),
  seed: Number(values.seed),
  prefix: values.prefix ?? null,
  variants: true,
});
const samples = values.samples
  ? {
      sampleDatabases: await seedMongoSamples(client),
      oddDatabase: 'odd',
      oddIds: await seedOddMongoRuns(client.db('odd'), Date.now()),
      altarIds: generated.variants?.altarIds.map(String) ?? [],
      runIds: generated.ids.map(String),
    }
  : {};
await client.close();

const png = generated.artifacts.find((file) => file.name.endsWith('.png'));
process.stdout.write(
  `${JSON.stringify({
    uri: server.uri,
    database: values.database,
    prefix: values.prefix ?? null,
    pngRunId: png === undefined ? null : String(png.runId),
    ...(tls === null ? {} : { caFile: tls.caFile, otherCaFile: tls.otherCaFile }),
    ...samples,
  })}\n`,
);
// A teardown never waits on the double: its sockets go at once, and a listener that has not
// closed within 5 s is left to the exit.
const stop = (): void => {
  void settledWithin([server.close()], 5000).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
