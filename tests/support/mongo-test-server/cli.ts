// npm run --silent mongo-test-server -- --port P [--user U --password W]
//   [--read-user U2 --read-password W2]
// The first stdout line is `listening on mongodb://127.0.0.1:P`; serves until killed.
import { parseArgs } from 'node:util';
import { startMongoTestServer } from './mongo-test-server';
import type { TestUser } from './test-users';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: mongo-test-server --port P [--user U --password W] [--read-user U2 --read-password W2]\n`,
  );
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
  const server = await startMongoTestServer({ port, users });
  process.stdout.write(`listening on ${server.uri}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `mongo-test-server: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
