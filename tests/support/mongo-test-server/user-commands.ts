// createUser, updateUser, dropUser, usersInfo, grantRolesToUser and revokeRolesFromUser as
// mongod answers them, on the server's user list: a user created here logs in (SCRAM) with the
// roles given, and a change applies to connections already logged in, as mongod's user cache
// invalidation does.
import { randomUUID } from 'node:crypto';
import { UUID } from 'bson';
import type { Document } from 'bson';
import { isPlainObject } from './field-path';
import { CommandError } from './command-error';
import { scramSecrets } from './scram-sha256';
import type { CommandContext, CommandHandler } from './server-state';
import { authEnabled, loggedInUser } from './server-state';
import {
  canAdministerUsers,
  roleAsMongodNamesIt,
  roleFromMongodName,
  userDb,
  type TestRole,
  type TestUser,
} from './test-users';

/** mongod's userId: a UUID per user, kept for the user's life. */
const userIds = new WeakMap<TestUser, UUID>();

function userIdOf(user: TestUser): UUID {
  let id = userIds.get(user);
  if (id === undefined) {
    id = new UUID(randomUUID());
    userIds.set(user, id);
  }
  return id;
}

function findUser(context: CommandContext, name: string, db: string): TestUser | undefined {
  return context.server.users.find((user) => user.user === name && userDb(user) === db);
}

function notFound(name: string, db: string): CommandError {
  return new CommandError('UserNotFound', `Could not find user "${name}" for db "${db}"`);
}

function userName(command: Document, field: string): string {
  const value: unknown = command[field];
  if (typeof value !== 'string') {
    throw new CommandError(
      'TypeMismatch',
      `BSON field '${field}.${field}' is the wrong type '${typeof value}', expected type 'string'`,
    );
  }
  if (value === '')
    throw new CommandError('BadValue', "User document needs 'user' field to be non-empty");
  return value;
}

function password(command: Document, field: string): string {
  const value: unknown = command.pwd;
  if (typeof value !== 'string') {
    throw new CommandError(
      'TypeMismatch',
      `BSON field '${field}.pwd' is the wrong type, expected type 'string'`,
    );
  }
  if (value === '') throw new CommandError('BadValue', 'Password cannot be empty');
  return value;
}

/** Roles as a command names them: "read" (on the command's database) or {role, db}. */
function roles(command: Document, field: string, context: CommandContext): TestRole[] {
  const value: unknown = command.roles;
  if (!Array.isArray(value)) {
    throw new CommandError('BadValue', `BSON field '${field}.roles' is missing or not an array`);
  }
  return value.map((entry: unknown) => {
    let name: unknown;
    let db: unknown;
    if (typeof entry === 'string') {
      name = entry;
      db = context.db;
    } else if (isPlainObject(entry)) {
      name = entry.role;
      db = entry.db;
    }
    if (typeof name !== 'string' || typeof db !== 'string') {
      throw new CommandError('BadValue', 'Role names must be either strings or objects');
    }
    const role = roleFromMongodName(name, db);
    if (role === null) throw new CommandError('RoleNotFound', `Could not find role: ${name}@${db}`);
    return role;
  });
}

/** The acting user; null when access control is off (every command allowed). */
function actor(context: CommandContext, name: string): TestUser | null {
  if (!authEnabled(context.server)) return null;
  const user = loggedInUser(context);
  if (user === undefined) {
    throw new CommandError('Unauthorized', `command ${name} requires authentication`);
  }
  return user;
}

function refuse(name: string, context: CommandContext): never {
  throw new CommandError(
    'Unauthorized',
    `not authorized on ${context.db} to execute command { ${name}: ... }`,
  );
}

/** userAdmin on the user's database, and grantRole on the database of every role given. */
function checkAdmin(name: string, context: CommandContext, given: readonly TestRole[] = []): void {
  const user = actor(context, name);
  if (user === null) return;
  const databases = [context.db, ...given.map((role) => (role.db === '*' ? 'admin' : role.db))];
  if (!databases.every((db) => canAdministerUsers(user, db))) refuse(name, context);
}

function sameRole(a: TestRole, b: TestRole): boolean {
  return a.role === b.role && a.db === b.db;
}

function withoutDuplicates(list: readonly TestRole[]): TestRole[] {
  return list.filter((role, index) => list.findIndex((other) => sameRole(role, other)) === index);
}

function setPassword(context: CommandContext, user: TestUser, pwd: string): void {
  user.password = pwd;
  context.server.secrets.set(`${userDb(user)}.${user.user}`, scramSecrets(pwd));
}

export const createUser: CommandHandler = (command, context) => {
  const name = userName(command, 'createUser');
  const given = withoutDuplicates(roles(command, 'createUser', context));
  const pwd = password(command, 'createUser');
  checkAdmin('createUser', context, given);
  if (findUser(context, name, context.db) !== undefined) {
    throw new CommandError('Location51003', `User "${name}@${context.db}" already exists`);
  }
  const user: TestUser = { user: name, password: pwd, db: context.db, roles: given };
  context.server.users.push(user);
  setPassword(context, user, pwd);
  return { ok: 1 };
};

export const updateUser: CommandHandler = (command, context) => {
  const name = userName(command, 'updateUser');
  const hasPwd = command.pwd !== undefined;
  const hasRoles = command.roles !== undefined;
  if (!hasPwd && !hasRoles && command.customData === undefined) {
    throw new CommandError('BadValue', 'Must specify at least one field to update in updateUser');
  }
  const given = hasRoles ? withoutDuplicates(roles(command, 'updateUser', context)) : [];
  const pwd = hasPwd ? password(command, 'updateUser') : null;
  checkAdmin('updateUser', context, given);
  const user = findUser(context, name, context.db);
  if (user === undefined) throw notFound(name, context.db);
  if (pwd !== null) setPassword(context, user, pwd);
  if (hasRoles) user.roles = given;
  return { ok: 1 };
};

export const dropUser: CommandHandler = (command, context) => {
  const name = userName(command, 'dropUser');
  checkAdmin('dropUser', context);
  const user = findUser(context, name, context.db);
  if (user === undefined) {
    throw new CommandError('UserNotFound', `User '${name}@${context.db}' not found`);
  }
  const users = context.server.users;
  users.splice(users.indexOf(user), 1);
  context.server.secrets.delete(`${context.db}.${name}`);
  return { ok: 1 };
};

function changeRoles(field: 'grantRolesToUser' | 'revokeRolesFromUser'): CommandHandler {
  return (command, context) => {
    const name = userName(command, field);
    const given = roles(command, field, context);
    checkAdmin(field, context, given);
    const user = findUser(context, name, context.db);
    if (user === undefined) throw notFound(name, context.db);
    user.roles =
      field === 'grantRolesToUser'
        ? withoutDuplicates([...user.roles, ...given])
        : user.roles.filter((role) => !given.some((other) => sameRole(role, other)));
    return { ok: 1 };
  };
}

export const grantRolesToUser = changeRoles('grantRolesToUser');
export const revokeRolesFromUser = changeRoles('revokeRolesFromUser');

/** The users a usersInfo names: 1 (all of the database), a name, {user, db}, a list, forAllDBs. */
function requestedUsers(
  command: Document,
  context: CommandContext,
): { all: 'db' | 'server' } | { names: { user: string; db: string }[] } {
  const value: unknown = command.usersInfo;
  if (value === 1) return { all: 'db' };
  if (isPlainObject(value) && value.forAllDBs === true) {
    if (context.db !== 'admin') {
      throw new CommandError('BadValue', 'forAllDBs only valid on the admin database');
    }
    return { all: 'server' };
  }
  const entries: unknown[] = Array.isArray(value) ? value : [value];
  return {
    names: entries.map((entry) => {
      if (typeof entry === 'string') return { user: entry, db: context.db };
      if (isPlainObject(entry) && typeof entry.user === 'string' && typeof entry.db === 'string') {
        return { user: entry.user, db: entry.db };
      }
      throw new CommandError('BadValue', 'User name must be either a string or an object');
    }),
  };
}

export const usersInfo: CommandHandler = (command, context) => {
  const request = requestedUsers(command, context);
  const user = actor(context, 'usersInfo');
  const listed =
    'all' in request
      ? context.server.users.filter((candidate) =>
          request.all === 'server' ? true : userDb(candidate) === context.db,
        )
      : request.names
          .map((name) => findUser(context, name.user, name.db))
          .filter((found): found is TestUser => found !== undefined);
  if (user !== null) {
    // Anyone may see themselves; others need viewUser (userAdmin) on their database.
    const onlySelf =
      'names' in request &&
      request.names.every((name) => name.user === user.user && name.db === userDb(user));
    const databases =
      'all' in request
        ? [request.all === 'server' ? 'admin' : context.db]
        : request.names.map((name) => name.db);
    if (!onlySelf && !databases.every((db) => canAdministerUsers(user, db))) {
      refuse('usersInfo', context);
    }
  }
  return {
    users: listed.map((found) => ({
      _id: `${userDb(found)}.${found.user}`,
      userId: userIdOf(found),
      user: found.user,
      db: userDb(found),
      roles: found.roles.map(roleAsMongodNamesIt),
      mechanisms: ['SCRAM-SHA-1', 'SCRAM-SHA-256'],
    })),
    ok: 1,
  };
};
