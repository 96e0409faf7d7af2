// npm run --silent mongo-test-server -- --port P [--user U --password W]
//   [--read-user U2 --read-password W2] [--root-user R --root-password W3] [--tls-dir DIR]
//   [--replica-set NAME [--members N]]
// --root-user is the lab's docker-compose MONGO_INITDB_ROOT_USERNAME: `root`, so it may manage
// the users of every database.
// The first stdout line is `listening on URI` (mongodb://127.0.0.1:P, plus every member and
// replicaSet=NAME for a replica set, plus tls=true&tlsCAFile=DIR/ca.pem with TLS); serves
// until killed. --tls-dir gets a new CA (ca.pem) and server certificate each start.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startMongoTestServer } from './mongo-test-server';
import type { MongoTestServerOptions } from './mongo-test-server';
import { generateTestCertificates } from './test-certificates';
import type { TestUser } from './test-users';

const USAGE =
  'usage: mongo-test-server --port P [--user U --password W] [--read-user U2 --read-password W2]\n' +
  '         [--root-user R --root-password W3] [--tls-dir DIR] [--replica-set NAME [--members N]]';

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        'read-user': { type: 'string' },
        'read-password': { type: 'string' },
        'root-user': { type: 'string' },
        'root-password': { type: 'string' },
        'tls-dir': { type: 'string' },
        'replica-set': { type: 'string' },
        members: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const port = Number(values.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${values.port}`);
  const users: TestUser[] = [];
  if ((values.user === undefined) !== (values.password === undefined)) {
    usage('--user and --password go together');
  }
  if ((values['read-user'] === undefined) !== (values['read-password'] === undefined)) {
    usage('--read-user and --read-password go together');
  }
  if ((values['root-user'] === undefined) !== (values['root-password'] === undefined)) {
    usage('--root-user and --root-password go together');
  }
  if (values['root-user'] !== undefined && values['root-password'] !== undefined) {
    users.push({
      user: values['root-user'],
      password: values['root-password'],
      roles: [{ role: 'root', db: '*' }],
    });
  }
  if (values.user !== undefined && values.password !== undefined) {
    users.push({
      user: values.user,
      password: values.password,
      roles: [{ role: 'readWrite', db: '*' }],
    });
  }
  if (values['read-user'] !== undefined && values['read-password'] !== undefined) {
    users.push({
      user: values['read-user'],
      password: values['read-password'],
      roles: [{ role: 'read', db: '*' }],
    });
  }
  const options: MongoTestServerOptions = { port, users };
  if (values.members !== undefined && values['replica-set'] === undefined) {
    usage('--members needs --replica-set');
  }
  if (values['replica-set'] !== undefined) {
    const members = Number(values.members ?? '3');
    if (!Number.isInteger(members) || members < 1 || members > 50) {
      usage(`invalid --members ${values.members}`);
    }
    if (values['replica-set'] === '') usage('--replica-set needs a name');
    options.replicaSet = { name: values['replica-set'], members };
  }
  let caFile: string | null = null;
  if (values['tls-dir'] !== undefined) {
    const dir = resolve(values['tls-dir']);
    const certificates = generateTestCertificates();
    mkdirSync(dir, { recursive: true });
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, certificates.caPem);
    writeFileSync(join(dir, 'server.pem'), certificates.certPem);
    writeFileSync(join(dir, 'server-key.pem'), certificates.keyPem, { mode: 0o600 });
    options.tls = { cert: certificates.certPem, key: certificates.keyPem };
  }
  const server = await startMongoTestServer(options);
  process.stdout.write(`listening on ${listeningUri(server.uri, caFile)}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The server's URI with what a TLS client needs (the CA file) added. */
function listeningUri(uri: string, caFile: string | null): string {
  if (caFile === null) return uri;
  const tls = `tls=true&tlsCAFile=${encodeURIComponent(caFile)}`;
  return uri.includes('?') ? `${uri}&${tls}` : `${uri}/?${tls}`;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `mongo-test-server: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
