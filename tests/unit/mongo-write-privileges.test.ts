// Whether a MongoDB user may write a source's runs (issue 15), judged from what connectionStatus
// answers (never by trying a write): the privileges when the server lists them, else the
// built-in roles by name.
import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { checkUserCanWrite } from '../../main/core/writes/mongo-privileges';

/** A database whose connectionStatus answers `authInfo`, and that records the command asked. */
function fakeDb(authInfo: Record<string, unknown>, asked: unknown[] = []): Db {
  return {
    databaseName: 'lab',
    command: async (command: unknown) => {
      asked.push(command);
      return { authInfo, ok: 1 };
    },
  } as unknown as Db;
}
const user = { authenticatedUsers: [{ user: 'u', db: 'admin' }] };

describe('checkUserCanWrite', () => {
  it('asks connectionStatus with the privileges, and lets anyone write without access control', async () => {
    const asked: unknown[] = [];
    expect(await checkUserCanWrite(fakeDb({ authenticatedUsers: [] }, asked), 'runs')).toEqual({
      canWrite: true,
      message: null,
    });
    expect(asked).toEqual([{ connectionStatus: 1, showPrivileges: true }]);
  });

  it('says a read user can only read the database', async () => {
    const reader = { ...user, authenticatedUserRoles: [{ role: 'read', db: 'lab' }] };
    expect(await checkUserCanWrite(fakeDb(reader), 'runs')).toEqual({
      canWrite: false,
      message: 'this user can only read lab',
    });
    // readWrite on another database does not help here.
    const elsewhere = { ...user, authenticatedUserRoles: [{ role: 'readWrite', db: 'other' }] };
    expect((await checkUserCanWrite(fakeDb(elsewhere), 'runs')).canWrite).toBe(false);
  });

  it('accepts readWrite or dbOwner on the database, and the any-database roles', async () => {
    for (const role of [
      { role: 'readWrite', db: 'lab' },
      { role: 'dbOwner', db: 'lab' },
      { role: 'readWriteAnyDatabase', db: 'admin' },
      { role: 'root', db: 'admin' },
    ]) {
      const info = { ...user, authenticatedUserRoles: [{ role: 'read', db: 'lab' }, role] };
      expect((await checkUserCanWrite(fakeDb(info), 'runs')).canWrite, role.role).toBe(true);
    }
  });

  it('trusts listed privileges over role names (custom roles)', async () => {
    const privileges = (resource: Record<string, unknown>, actions: string[]) => ({
      ...user,
      authenticatedUserRoles: [{ role: 'labAnnotator', db: 'admin' }],
      authenticatedUserPrivileges: [{ resource, actions }],
    });
    const onRuns = privileges({ db: 'lab', collection: 'runs' }, ['find', 'update']);
    expect((await checkUserCanWrite(fakeDb(onRuns), 'runs')).canWrite).toBe(true);
    const anyDb = privileges({ db: '', collection: '' }, ['update']);
    expect((await checkUserCanWrite(fakeDb(anyDb), 'runs')).canWrite).toBe(true);
    const otherCollection = privileges({ db: 'lab', collection: 'metrics' }, ['update']);
    expect(await checkUserCanWrite(fakeDb(otherCollection), 'runs')).toEqual({
      canWrite: false,
      message: 'this user can only read lab',
    });
    const findOnly = privileges({ db: 'lab', collection: '' }, ['find']);
    expect((await checkUserCanWrite(fakeDb(findOnly), 'runs')).canWrite).toBe(false);
  });

  it('does not guess for a custom role the server did not detail', async () => {
    const custom = { ...user, authenticatedUserRoles: [{ role: 'labAnnotator', db: 'admin' }] };
    const check = await checkUserCanWrite(fakeDb(custom), 'runs');
    expect(check.canWrite).toBeNull();
    expect(check.message).toContain('labAnnotator@admin');
  });
});
