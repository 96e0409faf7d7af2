// Routes a command by name and enforces mongod's access rules: without
// authentication only the handshake is allowed; read needs any role on the
// database, writes need readWrite.
import { EJSON } from 'bson';
import type { Document } from 'bson';
import { connectionStatus, saslContinue, saslStart } from './auth-commands';
import * as catalog from './catalog-commands';
import { CommandError, errorReply } from './command-error';
import * as handshake from './handshake-commands';
import * as reads from './read-commands';
import { checkMemberRole } from './replica-set';
import type { CommandContext, CommandHandler } from './server-state';
import { authEnabled, loggedInUser } from './server-state';
import { canRead, canWrite } from './test-users';
import * as users from './user-commands';
import * as writes from './write-commands';

/** listDatabases and the user commands decide per user themselves. */
type Access = 'open' | 'read' | 'write' | 'listDatabases' | 'users';

const COMMANDS: Record<string, { handler: CommandHandler; access: Access }> = {
  hello: { handler: handshake.hello, access: 'open' },
  isMaster: { handler: handshake.isMaster, access: 'open' },
  ismaster: { handler: handshake.isMaster, access: 'open' },
  ping: { handler: handshake.ping, access: 'open' },
  buildInfo: { handler: handshake.buildInfo, access: 'open' },
  buildinfo: { handler: handshake.buildInfo, access: 'open' },
  endSessions: { handler: handshake.endSessions, access: 'open' },
  saslStart: { handler: saslStart, access: 'open' },
  saslContinue: { handler: saslContinue, access: 'open' },
  connectionStatus: { handler: connectionStatus, access: 'open' },
  listDatabases: { handler: catalog.listDatabases, access: 'listDatabases' },
  listCollections: { handler: catalog.listCollections, access: 'read' },
  listIndexes: { handler: catalog.listIndexes, access: 'read' },
  find: { handler: reads.find, access: 'read' },
  getMore: { handler: reads.getMore, access: 'read' },
  killCursors: { handler: reads.killCursors, access: 'read' },
  aggregate: { handler: reads.aggregate, access: 'read' },
  count: { handler: reads.count, access: 'read' },
  distinct: { handler: reads.distinct, access: 'read' },
  insert: { handler: writes.insert, access: 'write' },
  update: { handler: writes.update, access: 'write' },
  delete: { handler: writes.delete, access: 'write' },
  findAndModify: { handler: writes.findAndModify, access: 'write' },
  findandmodify: { handler: writes.findAndModify, access: 'write' },
  create: { handler: catalog.create, access: 'write' },
  createIndexes: { handler: catalog.createIndexes, access: 'write' },
  drop: { handler: catalog.drop, access: 'write' },
  dropDatabase: { handler: catalog.dropDatabase, access: 'write' },
  dropIndexes: { handler: catalog.dropIndexes, access: 'write' },
  createUser: { handler: users.createUser, access: 'users' },
  updateUser: { handler: users.updateUser, access: 'users' },
  dropUser: { handler: users.dropUser, access: 'users' },
  usersInfo: { handler: users.usersInfo, access: 'users' },
  grantRolesToUser: { handler: users.grantRolesToUser, access: 'users' },
  revokeRolesFromUser: { handler: users.revokeRolesFromUser, access: 'users' },
};

/** hello under its three names; awaitable when it carries topologyVersion and maxAwaitTimeMS. */
export const HELLO_COMMANDS: ReadonlySet<string> = new Set(['hello', 'isMaster', 'ismaster']);

/** Commands that belong to connection set-up; fault injection leaves them alone. */
export const HANDSHAKE_COMMANDS: ReadonlySet<string> = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'saslStart',
  'saslContinue',
]);

export function commandName(command: Document): string {
  return Object.keys(command)[0] ?? '';
}

function describe(name: string, command: Document): string {
  return `{ ${name}: ${EJSON.stringify(command[name], { relaxed: true })} }`;
}

function authorize(name: string, access: Access, command: Document, context: CommandContext): void {
  if (access === 'open' || !authEnabled(context.server)) return;
  const user = loggedInUser(context);
  if (!user) throw new CommandError('Unauthorized', `command ${name} requires authentication`);
  const allowed =
    access === 'write'
      ? canWrite(user, context.db)
      : access === 'read'
        ? canRead(user, context.db)
        : true; // listDatabases and the user commands decide per user themselves
  if (!allowed) {
    throw new CommandError(
      'Unauthorized',
      `not authorized on ${context.db} to execute command ${describe(name, command)}`,
    );
  }
}

export function dispatch(command: Document, context: CommandContext): Document {
  const name = commandName(command);
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!entry) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    authorize(name, entry.access, command, context);
    if (entry.access !== 'open') {
      const writes = entry.access === 'write' || (entry.access === 'users' && name !== 'usersInfo');
      checkMemberRole(name, writes ? 'write' : 'read', command, context);
    }
    return entry.handler(command, context);
  } catch (error) {
    return errorReply(error);
  }
}
