// Lab users of a MongoDB source (issue 17): list, add a member as reader or writer, a new
// password, a role change and removal, through the core and the CLI, against the test server's
// user management; members added log in with exactly the access given, a source whose user
// cannot administer users gets a clear refusal, and no password reaches a file, a reply or the
// output except a generated one, printed once.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { runCli } from './cli-support';
import { REAL_MONGO_URI } from './mongo-sync-support';
import { rejection } from '../support/rejection';

const ROOT_PASSWORD = 'changeme123';

/** Every file under a folder, as text: where a leaked password would be found. */
function allText(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    text += statSync(path).isDirectory() ? allText(path) : readFileSync(path).toString('latin1');
  }
  return text;
}

describe.skipIf(REAL_MONGO_URI !== null)('lab users of a MongoDB source', () => {
  let server: MongoTestServer;
  let core: AltarCore;
  let dataDir: string;
  const clients: MongoClient[] = [];

  /** Whether `user` can read, and write, the lab's runs with `password`. */
  const accessOf = async (user: string, password: string) => {
    const client = new MongoClient(mongoUriWithCredentials(server.uri, user, password), {
      serverSelectionTimeoutMS: 3000,
    });
    clients.push(client);
    const runs = client.db('sacred').collection('runs');
    const read = await runs.countDocuments({}).then(
      () => true,
      (error: unknown) => {
        if (String(error).includes('Authentication failed')) return 'no login' as const;
        return false;
      },
    );
    if (read === 'no login') return 'no login';
    const write = await runs.updateOne({ _id: 1 } as never, { $set: { touched: user } }).then(
      () => true,
      () => false,
    );
    return read ? (write ? 'writer' : 'reader') : 'none';
  };

  beforeAll(async () => {
    server = await startMongoTestServer({
      users: [
        { user: 'admin', password: ROOT_PASSWORD, roles: [{ role: 'root', db: '*' }] },
        { user: 'student', password: 'student-pw', roles: [{ role: 'read', db: 'sacred' }] },
      ],
    });
    const seed = new MongoClient(mongoUriWithCredentials(server.uri, 'admin', ROOT_PASSWORD));
    clients.push(seed);
    await seed
      .db('sacred')
      .collection('runs')
      .insertOne({ _id: 1, status: 'COMPLETED' } as never);
    dataDir = mkdtempSync(join(tmpdir(), 'altar-lab-users-'));
    core = createAltarCore({ dataDir, door: 'direct' });
    const admin = await core.saveProfile({
      name: 'lab admin',
      uri: `mongodb://admin@127.0.0.1:${server.port}/?authSource=admin`,
      password: ROOT_PASSWORD,
    });
    const student = await core.saveProfile({
      name: 'student',
      uri: `mongodb://student@127.0.0.1:${server.port}/sacred?authSource=admin`,
      password: 'student-pw',
    });
    await core.addMongoSource({ name: 'lab', profileId: admin.id, database: 'sacred' });
    await core.addMongoSource({ name: 'lab-ro', profileId: student.id, database: 'sacred' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await core?.close();
    await server?.close();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a reader who can read and not write, and a writer who can do both', async () => {
    expect(
      await core.addLabUser({ source: 'lab', name: 'ada', role: 'reader', password: 'ada-pass-1' }),
    ).toEqual({ name: 'ada', generatedPassword: null });
    const bob = await core.addLabUser({
      source: 'lab',
      name: 'bob',
      role: 'writer',
      generate: true,
    });
    expect(bob.generatedPassword).toMatch(/^[\w-]{24}$/u);
    expect(await accessOf('ada', 'ada-pass-1')).toBe('reader');
    expect(await accessOf('bob', bob.generatedPassword!)).toBe('writer');

    const listed = await core.listLabUsers({ source: 'lab' });
    expect(listed.database).toBe('sacred');
    expect(listed.userDb).toBe('admin');
    const byName = new Map(listed.users.map((user) => [user.name, user]));
    expect(byName.get('ada')).toEqual({
      name: 'ada',
      userDb: 'admin',
      access: 'reader',
      roles: ['read@sacred'],
    });
    expect(byName.get('bob')?.access).toBe('writer');
    expect(byName.get('admin')).toMatchObject({ access: 'admin', roles: ['root@admin'] });
    expect(byName.get('student')?.access).toBe('reader');
    expect(JSON.stringify(listed)).not.toContain('ada-pass-1');
    // Passwords stay out of the data folder (the cache and settings).
    const stored = allText(dataDir);
    expect(stored).not.toContain('ada-pass-1');
    expect(stored).not.toContain(bob.generatedPassword!);
  });

  it('changes a password (the old one stops working) and a role, and removes a user', async () => {
    await core.addLabUser({ source: 'lab', name: 'cy', role: 'reader', password: 'cy-pass-old' });
    await core.changeLabUserPassword({ source: 'lab', name: 'cy', password: 'cy-pass-new' });
    expect(await accessOf('cy', 'cy-pass-old')).toBe('no login');
    expect(await accessOf('cy', 'cy-pass-new')).toBe('reader');
    await core.setLabUserRole({ source: 'lab', name: 'cy', role: 'writer' });
    expect(await accessOf('cy', 'cy-pass-new')).toBe('writer');
    const cy = (await core.listLabUsers({ source: 'lab' })).users.find((u) => u.name === 'cy');
    expect(cy?.roles).toEqual(['readWrite@sacred']);
    await core.setLabUserRole({ source: 'lab', name: 'cy', role: 'reader' });
    expect(await accessOf('cy', 'cy-pass-new')).toBe('reader');
    expect(await core.removeLabUser({ source: 'lab', name: 'cy' })).toEqual({ removed: true });
    expect(await accessOf('cy', 'cy-pass-new')).toBe('no login');
  });

  it('says what went wrong: a user who may only read, a name taken, an unknown user', async () => {
    const refused = await rejection(
      core.addLabUser({ source: 'lab-ro', name: 'eve', role: 'writer', password: 'eve-pass-1' }),
    );
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(/cannot manage the users of sacred.*userAdmin/u);
    expect(refused.message).not.toContain('eve-pass-1');
    expect((await rejection(core.listLabUsers({ source: 'lab-ro' }))).code).toBe('FORBIDDEN');

    await core.addLabUser({ source: 'lab', name: 'dee', role: 'reader', password: 'dee-pass-1' });
    const taken = await rejection(
      core.addLabUser({ source: 'lab', name: 'dee', role: 'writer', password: 'other-pass' }),
    );
    expect(taken.code).toBe('ALREADY_EXISTS');
    expect(taken.message).toContain('dee@admin');
    expect(await accessOf('dee', 'dee-pass-1')).toBe('reader');
    const unknown = await rejection(
      core.changeLabUserPassword({ source: 'lab', name: 'nobody', password: 'whatever-1' }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    // Arguments are checked before anything reaches the server.
    const short = await rejection(
      core.addLabUser({ source: 'lab', name: 'fox', role: 'reader', password: 'short' }),
    );
    expect(short.code).toBe('INVALID_ARGUMENT');
    const both = await rejection(
      core.addLabUser({
        source: 'lab',
        name: 'fox',
        role: 'reader',
        password: 'long-enough',
        generate: true,
      }),
    );
    expect(both.code).toBe('INVALID_ARGUMENT');
    expect(await accessOf('fox', 'long-enough')).toBe('no login');
  });

  it('does the same from the CLI, with the password from ALTAR_NEW_USER_PASSWORD or generated once', async () => {
    const env = { ALTAR_MONGO_PASSWORD: ROOT_PASSWORD };
    const base = ['--data-dir', dataDir];
    const added = await runCli(
      [...base, 'users', 'add', '--source', 'lab', '--name', 'gus', '--role', 'writer'],
      {
        ...env,
        ALTAR_NEW_USER_PASSWORD: 'gus-pass-1',
      },
    );
    expect(added).toMatchObject({ code: 0, stdout: 'Added gus as writer of "lab".\n' });
    expect(await accessOf('gus', 'gus-pass-1')).toBe('writer');

    const generated = await runCli(
      [...base, 'users', 'passwd', '--source', 'lab', '--name', 'gus', '--generate'],
      env,
    );
    expect(generated.code).toBe(0);
    const password = /Password \(shown once, not saved anywhere\): (\S+)/u.exec(
      generated.stdout,
    )?.[1];
    expect(password).toBeDefined();
    expect(await accessOf('gus', password!)).toBe('writer');
    expect(await accessOf('gus', 'gus-pass-1')).toBe('no login');

    const list = await runCli(
      [...base, 'users', 'list', '--source', 'lab', '--format', 'json'],
      env,
    );
    expect(list.code).toBe(0);
    const users = (JSON.parse(list.stdout) as { users: { name: string; access: string }[] }).users;
    expect(users.find((user) => user.name === 'gus')?.access).toBe('writer');
    expect(list.stdout + list.stderr).not.toContain(password!);
    const table = await runCli([...base, 'users', 'list', '--source', 'lab'], env);
    expect(table.stdout).toMatch(/^gus +writer +readWrite@sacred$/mu);

    // No password anywhere and no terminal to ask at: a usage error, nothing created.
    const none = await runCli(
      [...base, 'users', 'add', '--source', 'lab', '--name', 'hal', '--role', 'reader'],
      env,
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ALTAR_NEW_USER_PASSWORD');
    const noRole = await runCli([...base, 'users', 'add', '--source', 'lab', '--name', 'hal'], env);
    expect(noRole.code).toBe(2);

    const readOnly = await runCli(
      [
        ...base,
        'users',
        'add',
        '--source',
        'lab-ro',
        '--name',
        'hal',
        '--role',
        'reader',
        '--generate',
      ],
      { ALTAR_MONGO_PASSWORD: 'student-pw' },
    );
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toContain('cannot manage the users of sacred');
    expect(readOnly.stdout).not.toMatch(/Password/u);

    const removed = await runCli(
      [...base, 'users', 'remove', '--source', 'lab', '--name', 'gus'],
      env,
    );
    expect(removed).toMatchObject({ code: 0, stdout: 'Removed gus.\n' });
    expect(await accessOf('gus', password!)).toBe('no login');
  }, 120_000);
});
