// A lab MongoDB behind TLS with the lab's own CA: a profile naming the CA file connects, adds,
// syncs and browses; a wrong CA, an expired certificate, no CA file and a missing CA file each
// give a message a user can act on, through the connection test the UI's "Test connection"
// button runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionFields } from '../../shared/contract';
import type { AltarCore } from '../../main/core/altar-core';
import { generateTestCertificates, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import type { GeneratedSacredMongo } from '../support/sacred-mongo-generator';
import {
  ADMIN,
  ADMIN_USER,
  TempDirs,
  expectBrowsable,
  openCore,
  seedSacredRuns,
} from './lab-source-support';
import { runCli } from './cli-support';
import { REAL_MONGO_URI } from './mongo-sync-support';
import { rejection as failure } from '../support/rejection';

const TIMEOUT_MS = 4000;

describe.skipIf(REAL_MONGO_URI !== null)('a MongoDB source over TLS with the lab CA', () => {
  const dirs = new TempDirs();
  let server: MongoTestServer;
  let expiredServer: MongoTestServer;
  let otherNameServer: MongoTestServer;
  let otherNameCa: string;
  let labCa: string;
  let otherCa: string;
  let expiredCa: string;
  let generated: GeneratedSacredMongo;
  let core: AltarCore;

  const fields = (port: number, tlsCAFile?: string): ConnectionFields => ({
    hosts: [`127.0.0.1:${port}`],
    user: ADMIN.user,
    authSource: 'admin',
    tls: true,
    ...(tlsCAFile === undefined ? {} : { tlsCAFile }),
  });

  beforeAll(async () => {
    const lab = generateTestCertificates();
    const expired = generateTestCertificates({ expired: true });
    labCa = dirs.file('lab-ca.pem', lab.caPem);
    expiredCa = dirs.file('expired-ca.pem', expired.caPem);
    // Another lab's CA: a valid CA that did not sign this server's certificate.
    otherCa = dirs.file('other-ca.pem', generateTestCertificates().caPem);
    server = await startMongoTestServer({
      users: [ADMIN_USER],
      tls: { cert: lab.certPem, key: lab.keyPem },
    });
    expiredServer = await startMongoTestServer({
      tls: { cert: expired.certPem, key: expired.keyPem },
    });
    // A certificate for the server's DNS name, reached by its address.
    const otherName = generateTestCertificates({ hosts: ['mongo.lab.altar.test'] });
    otherNameCa = dirs.file('named-ca.pem', otherName.caPem);
    otherNameServer = await startMongoTestServer({
      tls: { cert: otherName.certPem, key: otherName.keyPem },
    });
    generated = await seedSacredRuns(
      `mongodb://127.0.0.1:${server.port}/?tls=true&authSource=admin`,
      'lab',
      8,
      { tlsCAFile: labCa, auth: { username: ADMIN.user, password: ADMIN.password } },
    );
    core = openCore(dirs);
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
    await expiredServer?.close();
    await otherNameServer?.close();
    dirs.cleanup();
  });

  it('refuses a plain connection: the server speaks TLS only', async () => {
    const error = await failure(
      core.testConnection({
        fields: { ...fields(server.port), tls: false },
        password: ADMIN.password,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    expect(error.code).not.toBe('INTERNAL');
  });

  it('tests, adds, syncs and browses a source whose profile names the CA file', async () => {
    const test = await core.testConnection({
      fields: fields(server.port, labCa),
      password: ADMIN.password,
      timeoutMs: TIMEOUT_MS,
    });
    expect(test.serverVersion).toMatch(/^7\.0/u);
    const profile = await core.saveProfile({
      name: 'lab over TLS',
      fields: fields(server.port, labCa),
      password: ADMIN.password,
    });
    // The CA file is a path kept in the profile (not a secret), shown back in the form.
    expect(profile.fields).toMatchObject({ tls: true, tlsCAFile: labCa });
    expect(new URL(profile.uri).searchParams.get('tlsCAFile')).toBe(labCa);
    const source = await core.addMongoSource({
      name: 'tls-lab',
      profileId: profile.id,
      database: 'lab',
    });
    expect(source).toMatchObject({ lastError: null, runCount: generated.ids.length });
    await expectBrowsable(core, 'tls-lab', generated);
  }, 30_000);

  it('adds the source from the command line with tlsCAFile in the URI, and names a wrong CA there too', async () => {
    const dataDir = dirs.make('cli-data');
    const uri = (ca: string): string =>
      `mongodb://${ADMIN.user}:${ADMIN.password}@127.0.0.1:${server.port}/lab` +
      `?authSource=admin&tls=true&tlsCAFile=${encodeURIComponent(ca)}`;
    const added = await runCli([
      '--data-dir',
      dataDir,
      'sources',
      'add',
      'lab',
      '--mongo',
      uri(labCa),
    ]);
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(
      new RegExp(
        `^Added source "lab" \\(.*\\): ${generated.ids.length} runs \\(0 unreadable\\)\\.\\n$`,
        'u',
      ),
    );

    const refused = await runCli([
      '--data-dir',
      dataDir,
      'sources',
      'add',
      'other',
      '--mongo',
      uri(otherCa),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `altar-viewer: TLS handshake with 127.0.0.1:${server.port} failed: the server's ` +
        `certificate is not signed by the CA in ${otherCa} (is it this server's CA?)\n`,
    );
    expect(refused.stderr).not.toContain(ADMIN.password);
  }, 60_000);

  it('says the certificate is not signed by the CA in the file when the CA is another', async () => {
    const error = await failure(
      core.testConnection({
        fields: fields(server.port, otherCa),
        password: ADMIN.password,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toBe(
      `TLS handshake with 127.0.0.1:${server.port} failed: the server's certificate is not ` +
        `signed by the CA in ${otherCa} (is it this server's CA?)`,
    );
  });

  it('says the server certificate has expired', async () => {
    const error = await failure(
      core.testConnection({
        fields: { hosts: [`127.0.0.1:${expiredServer.port}`], tls: true, tlsCAFile: expiredCa },
        timeoutMs: TIMEOUT_MS,
      }),
    );
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toBe(
      `TLS handshake with 127.0.0.1:${expiredServer.port} failed: the server's certificate ` +
        "has expired (its administrator must renew it; or is this computer's clock wrong?)",
    );
  });

  it('says the certificate names another host, and how to connect anyway', async () => {
    const port = otherNameServer.port;
    const error = await failure(
      core.testConnection({
        fields: { hosts: [`127.0.0.1:${port}`], tls: true, tlsCAFile: otherNameCa },
        timeoutMs: TIMEOUT_MS,
      }),
    );
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^TLS handshake with 127\\.0\\.0\\.1:${port} failed: .*127\\.0\\.0\\.1.* \\(connect ` +
          'by a name the certificate lists, or accept a certificate issued for another host ' +
          'name in the TLS settings: tlsAllowInvalidHostnames\\)$',
        'u',
      ),
    );
    // The form's "Accept a certificate issued for another host name": kept in the profile.
    const profile = await core.saveProfile({
      name: 'lab by address',
      fields: {
        hosts: [`127.0.0.1:${port}`],
        tls: true,
        tlsCAFile: otherNameCa,
        tlsAllowInvalidHostnames: true,
      },
    });
    expect(profile.fields).toMatchObject({ tlsAllowInvalidHostnames: true });
    const allowed = await core.testConnection({ profileId: profile.id, timeoutMs: TIMEOUT_MS });
    expect(allowed.serverVersion).toMatch(/^7\.0/u);
  });

  it('says the lab CA is unknown to the system when no CA file is given', async () => {
    const error = await failure(
      core.testConnection({
        fields: fields(server.port),
        password: ADMIN.password,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toBe(
      `TLS handshake with 127.0.0.1:${server.port} failed: the server's certificate is not ` +
        "signed by a CA this computer trusts (name the lab's CA file in the connection's TLS settings)",
    );
  });

  it('names a CA file that does not exist', async () => {
    const missing = `${labCa}.missing`;
    const error = await failure(
      core.testConnection({
        fields: fields(server.port, missing),
        password: ADMIN.password,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toBe(
      `Cannot read ${missing} (the TLS CA file of this connection): no such file`,
    );
  });
});
