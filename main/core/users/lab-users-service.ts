import { randomBytes } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import type { z } from 'zod';
import type { methods } from '../../../shared/contract';
import type { LabRole, LabUser } from '../../../shared/contract/users-methods';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { CacheStore } from '../cache/cache-store';
import { authSourceOf } from '../mongo/connection-uri';
import type { MongoConnections } from '../mongo/mongo-connections';
import { mongoTarget } from '../mongo/sync-mongo-source';

type Args<M extends keyof typeof methods> = z.output<(typeof methods)[M]['args']>;
type Result<M extends keyof typeof methods> = z.output<(typeof methods)[M]['result']>;

export interface LabUsersDeps {
  store: CacheStore;
  connections: MongoConnections;
  /** The saved connection string of a profile (never with a password), for its authSource. */
  profileUri: (profileId: string) => string | null;
}

export interface LabUsersService {
  listLabUsers(args: Args<'listLabUsers'>): Promise<Result<'listLabUsers'>>;
  addLabUser(args: Args<'addLabUser'>): Promise<Result<'addLabUser'>>;
  changeLabUserPassword(
    args: Args<'changeLabUserPassword'>,
  ): Promise<Result<'changeLabUserPassword'>>;
  setLabUserRole(args: Args<'setLabUserRole'>): Promise<Result<'setLabUserRole'>>;
  removeLabUser(args: Args<'removeLabUser'>): Promise<Result<'removeLabUser'>>;
}

/** The contract methods this service implements (shared/contract/users-methods.ts). */
export const LAB_USER_METHODS = [
  'listLabUsers',
  'addLabUser',
  'changeLabUserPassword',
  'setLabUserRole',
  'removeLabUser',
] as const satisfies readonly (keyof LabUsersService)[];

const TIMEOUT_MS = 8000;
/** mongod's role for each lab role, on the source's database. */
const MONGO_ROLE: Record<LabRole, string> = { reader: 'read', writer: 'readWrite' };

interface RoleRef {
  role: string;
  db: string;
}

/** What a user's roles let it do on `database` (any-database roles and root included). */
export function accessOn(roles: readonly RoleRef[], database: string): LabUser['access'] {
  const on = (names: string[], anyNames: string[]): boolean =>
    roles.some(
      (ref) =>
        (names.includes(ref.role) && ref.db === database) ||
        (anyNames.includes(ref.role) && ref.db === 'admin'),
    );
  if (on(['dbOwner'], ['root'])) return 'admin';
  if (on(['readWrite'], ['readWriteAnyDatabase'])) return 'writer';
  if (on(['read'], ['readAnyDatabase'])) return 'reader';
  return 'other';
}

/** A password for a new member: 24 characters a URI and a shell keep as they are. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The users of a MongoDB source's database, managed as the lab's MANAGE_USERS recipes do in
 * mongosh (`use admin`, `db.createUser({user, pwd, roles: [{role, db: "sacred"}]})`), with
 * the connection of the source's profile. The server decides who may do it: a user without
 * userAdmin (or root) gets FORBIDDEN with what it lacks. Passwords go only into the command.
 */
export function createLabUsersService(deps: LabUsersDeps): LabUsersService {
  const target = async (source: string) => {
    const row = deps.store.getSource(source);
    if (row === null) throw new AltarError('NOT_FOUND', `There is no source named "${source}".`);
    const { profileId, database } = mongoTarget(row);
    const uri = deps.profileUri(profileId);
    const userDb = uri === null ? 'admin' : authSourceOf(uri);
    let client: MongoClient;
    try {
      client = await deps.connections.client(profileId, { timeoutMs: TIMEOUT_MS });
    } catch (error) {
      throw classify(error, profileId, database);
    }
    return { client, database, userDb, admin: client.db(userDb), profileId };
  };

  const classify = (error: unknown, profileId: string, database: string): Error => {
    if (isAltarError(error)) return error;
    const code = (error as { code?: unknown }).code;
    if (code === 13) {
      return new AltarError(
        'FORBIDDEN',
        `This connection's user cannot manage the users of ${database}: it needs the userAdmin ` +
          'role on that database (or root), as the lab admin account has.',
      );
    }
    if (code === 51003) return new AltarError('ALREADY_EXISTS', message(error));
    if (code === 11) return new AltarError('NOT_FOUND', message(error));
    return deps.connections.classifyError(error, profileId);
  };

  /** Runs one user command; the server's refusal becomes the contract's error. */
  const run = async (
    t: { admin: Db; profileId: string; database: string },
    command: Record<string, unknown>,
  ): Promise<Record<string, unknown>> => {
    try {
      return await t.admin.command(command);
    } catch (error) {
      throw classify(error, t.profileId, t.database);
    }
  };

  const passwordOf = (args: { password?: string; generate?: boolean }) => {
    if (args.password !== undefined && args.generate === true) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        'Give a password or ask for one to be generated, not both.',
      );
    }
    if (args.password !== undefined) return { password: args.password, generated: null };
    if (args.generate === true) {
      const password = generatePassword();
      return { password, generated: password };
    }
    throw new AltarError(
      'INVALID_ARGUMENT',
      'A new password is needed (or ask for one to be generated).',
    );
  };

  return {
    async listLabUsers({ source }) {
      const t = await target(source);
      // Users defined in the source's own database come with those of the authSource.
      const dbs = [...new Set([t.userDb, t.database])];
      const users: LabUser[] = [];
      for (const db of dbs) {
        const reply = await run({ ...t, admin: t.client.db(db) }, { usersInfo: 1 });
        for (const entry of (reply.users ?? []) as {
          user: string;
          db: string;
          roles: RoleRef[];
        }[]) {
          users.push({
            name: entry.user,
            userDb: entry.db,
            access: accessOn(entry.roles, t.database),
            roles: entry.roles.map((ref) => `${ref.role}@${ref.db}`),
          });
        }
      }
      users.sort((a, b) => a.name.localeCompare(b.name) || a.userDb.localeCompare(b.userDb));
      return { database: t.database, userDb: t.userDb, users };
    },

    async addLabUser(args) {
      const { password, generated } = passwordOf(args);
      const t = await target(args.source);
      await run(t, {
        createUser: args.name,
        pwd: password,
        roles: [{ role: MONGO_ROLE[args.role], db: t.database }],
      });
      return { name: args.name, generatedPassword: generated };
    },

    async changeLabUserPassword(args) {
      const { password, generated } = passwordOf(args);
      const t = await target(args.source);
      await run(t, { updateUser: args.name, pwd: password });
      return { name: args.name, generatedPassword: generated };
    },

    async setLabUserRole(args) {
      const t = await target(args.source);
      const other = args.role === 'reader' ? 'writer' : 'reader';
      // Grant first: a failure in between leaves the user with more access, never locked out.
      await run(t, {
        grantRolesToUser: args.name,
        roles: [{ role: MONGO_ROLE[args.role], db: t.database }],
      });
      await run(t, {
        revokeRolesFromUser: args.name,
        roles: [{ role: MONGO_ROLE[other], db: t.database }],
      });
      return { name: args.name };
    },

    async removeLabUser(args) {
      const t = await target(args.source);
      await run(t, { dropUser: args.name });
      return { removed: true as const };
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
