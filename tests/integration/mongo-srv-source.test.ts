// A cluster reached the way MongoDB Atlas is: mongodb+srv://NAME, where DNS gives the members
// (SRV records) and the options replicaSet and authSource (a TXT record), over TLS by default.
// A DNS server on loopback answers for a test domain and the process resolves through it, so
// the driver's own discovery runs: the source adds, syncs and browses, and a name without SRV
// records says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AltarError } from '../../shared/errors';
import type { AltarCore } from '../../main/core/altar-core';
import { startLoopbackDns } from '../support/loopback-dns-server';
import type { LoopbackDns } from '../support/loopback-dns-server';
import { generateTestCertificates, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import type { GeneratedSacredMongo } from '../support/sacred-mongo-generator';
import { useLoopbackDns } from '../support/use-loopback-dns';
import {
  ADMIN,
  ADMIN_USER,
  TempDirs,
  expectBrowsable,
  openCore,
  seedSacredRuns,
} from './lab-source-support';
import { REAL_MONGO_URI } from './mongo-sync-support';

// `.test` is reserved (RFC 2606): no real DNS answers for it, so only the loopback server can.
const DOMAIN = 'lab.altar.test';
const CLUSTER = `cluster0.${DOMAIN}`;
const SET = 'atlas-lab-shard-0';
const MEMBERS = [0, 1, 2].map((n) => `cluster0-shard-00-0${n}.${DOMAIN}`);

describe.skipIf(REAL_MONGO_URI !== null)('a mongodb+srv:// source (Atlas style)', () => {
  const dirs = new TempDirs();
  let server: MongoTestServer;
  let dns: LoopbackDns;
  let restoreDns: () => void = () => undefined;
  let caFile: string;
  let generated: GeneratedSacredMongo;
  let core: AltarCore;

  beforeAll(async () => {
    const certificates = generateTestCertificates({ hosts: [`*.${DOMAIN}`] });
    caFile = dirs.file('atlas-ca.pem', certificates.caPem);
    server = await startMongoTestServer({
      users: [ADMIN_USER],
      tls: { cert: certificates.certPem, key: certificates.keyPem },
      replicaSet: { name: SET, hostnames: MEMBERS },
    });
    const ports = server.replicaSet?.ports ?? [];
    dns = await startLoopbackDns({
      srv: {
        [`_mongodb._tcp.${CLUSTER}`]: MEMBERS.map((target, index) => ({
          target,
          port: ports[index] ?? 0,
        })),
      },
      txt: { [CLUSTER]: [`authSource=admin&replicaSet=${SET}`] },
      a: Object.fromEntries(MEMBERS.map((name) => [name, ['127.0.0.1']])),
    });
    restoreDns = useLoopbackDns(dns);
    generated = await seedSacredRuns(`mongodb+srv://${CLUSTER}/`, 'lab', 6, {
      tlsCAFile: caFile,
      auth: { username: ADMIN.user, password: ADMIN.password },
    });
    core = openCore(dirs);
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    restoreDns();
    await dns?.close();
    await server?.close();
    dirs.cleanup();
  });

  it('adds, syncs and browses a source found through the SRV and TXT records', async () => {
    const profile = await core.saveProfile({
      name: 'atlas lab',
      fields: { hosts: [CLUSTER], srv: true, user: ADMIN.user, tlsCAFile: caFile },
      password: ADMIN.password,
    });
    expect(profile.uri).toMatch(
      new RegExp(`^mongodb\\+srv://admin@${CLUSTER.replaceAll('.', '\\.')}/`, 'u'),
    );
    const test = await core.testConnection({ profileId: profile.id, timeoutMs: 5000 });
    expect(test.serverVersion).toMatch(/^7\.0/u);
    const source = await core.addMongoSource({
      name: 'atlas-lab',
      profileId: profile.id,
      database: 'lab',
    });
    expect(source).toMatchObject({ lastError: null, runCount: generated.ids.length });
    await expectBrowsable(core, 'atlas-lab', generated);
    // The members were found through DNS, not guessed: the driver asked for both records.
    expect(dns.questions).toEqual(
      expect.arrayContaining([`SRV _mongodb._tcp.${CLUSTER}`, `TXT ${CLUSTER}`]),
    );
  }, 30_000);

  it('says a cluster name without SRV records is not found, naming the record', async () => {
    const missing = `cluster9.${DOMAIN}`;
    const error = await core
      .testConnection({ fields: { hosts: [missing], srv: true }, timeoutMs: 3000 })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(AltarError);
    expect((error as AltarError).message).toBe(
      `Host not found: ${missing} (no DNS SRV record _mongodb._tcp.${missing})`,
    );
  });
});
