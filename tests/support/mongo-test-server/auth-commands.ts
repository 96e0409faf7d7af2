// saslStart / saslContinue (and the speculative saslStart inside hello) for
// SCRAM-SHA-256 and SCRAM-SHA-1, plus connectionStatus to show who a connection is.
import { Binary } from 'bson';
import type { Document } from 'bson';
import { CommandError } from './command-error';
import { authenticationFailed, beginScram, finishScram, scramSha1Secrets } from './scram-sha256';
import type { ScramConversation, ScramSecrets } from './scram-sha256';
import type { CommandContext, CommandHandler } from './server-state';
import { loggedInUser } from './server-state';
import { roleAsMongodNamesIt, userDb } from './test-users';
import type { TestRoleName, TestUser } from './test-users';

interface Conversation extends ScramConversation {
  db: string;
  skipEmptyExchange: boolean;
}

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) {
    return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
  }
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw new CommandError('BadValue', 'SASL payload must be binary data');
}

const payloadBinary = (text: string): Binary => new Binary(Buffer.from(text, 'utf8'));

/**
 * SCRAM-SHA-1 keys of each user, derived on first use (few tests ask for SHA-1), for the
 * password they were derived from (updateUser may change it).
 */
const sha1Secrets = new WeakMap<TestUser, { password: string; secrets: ScramSecrets }>();

function sha1SecretsOf(context: CommandContext, name: string): ScramSecrets | undefined {
  const user = context.server.users.find(
    (candidate) => candidate.user === name && userDb(candidate) === context.db,
  );
  if (user === undefined) return undefined;
  let cached = sha1Secrets.get(user);
  if (cached?.password !== user.password) {
    cached = { password: user.password, secrets: scramSha1Secrets(user.user, user.password) };
    sha1Secrets.set(user, cached);
  }
  return cached.secrets;
}

export const saslStart: CommandHandler = (command, context) => {
  if (context.server.faults.refuseAuth) throw authenticationFailed();
  const mechanism = String(command.mechanism);
  if (mechanism !== 'SCRAM-SHA-256' && mechanism !== 'SCRAM-SHA-1') {
    throw new CommandError(
      'MechanismUnavailable',
      `Received authentication for mechanism ${mechanism} which is not enabled`,
    );
  }
  const scram = beginScram(payloadText(command.payload), (name) =>
    mechanism === 'SCRAM-SHA-1'
      ? sha1SecretsOf(context, name)
      : context.server.secrets.get(`${context.db}.${name}`),
  );
  const options = (command.options ?? {}) as Document;
  const conversation: Conversation = {
    ...scram,
    db: context.db,
    skipEmptyExchange: options.skipEmptyExchange === true,
  };
  const conversationId = context.connection.nextConversationId++;
  context.connection.conversations.set(conversationId, conversation);
  return { conversationId, done: false, payload: payloadBinary(scram.serverFirst), ok: 1 };
};

function authenticate(conversation: Conversation, context: CommandContext): void {
  const user = context.server.users.find(
    (candidate) =>
      candidate.user === conversation.userName && userDb(candidate) === conversation.db,
  );
  if (!user) throw authenticationFailed();
  context.connection.user = user;
}

export const saslContinue: CommandHandler = (command, context) => {
  const conversationId = Number(command.conversationId);
  const conversation = context.connection.conversations.get(conversationId) as
    Conversation | undefined;
  if (!conversation) throw new CommandError('ProtocolError', 'No SASL session state found');
  try {
    if (context.server.faults.refuseAuth) throw authenticationFailed();
    if (!conversation.verified) {
      const serverFinal = finishScram(conversation, payloadText(command.payload));
      if (!conversation.skipEmptyExchange) {
        return { conversationId, done: false, payload: payloadBinary(serverFinal), ok: 1 };
      }
      authenticate(conversation, context);
      context.connection.conversations.delete(conversationId);
      return { conversationId, done: true, payload: payloadBinary(serverFinal), ok: 1 };
    }
    authenticate(conversation, context);
    context.connection.conversations.delete(conversationId);
    return { conversationId, done: true, payload: payloadBinary(''), ok: 1 };
  } catch (error) {
    context.connection.conversations.delete(conversationId);
    throw error;
  }
};

/** The hello reply's speculativeAuthenticate field, or undefined to make the client fall back. */
export function speculativeAuthenticate(
  request: unknown,
  context: CommandContext,
): Document | undefined {
  if (!request || typeof request !== 'object') return undefined;
  const command = request as Document;
  if (command.saslStart !== 1 && command.saslStart !== true) return undefined;
  try {
    const db = typeof command.db === 'string' ? command.db : context.db;
    const { conversationId, done, payload } = saslStart(command, { ...context, db });
    return { conversationId, done, payload };
  } catch {
    return undefined;
  }
}

export const connectionStatus: CommandHandler = (command, context) => {
  const user = loggedInUser(context);
  const authInfo: Document = {
    authenticatedUsers: user ? [{ user: user.user, db: userDb(user) }] : [],
    authenticatedUserRoles: (user?.roles ?? []).map(roleAsMongodNamesIt),
  };
  // As mongod: `showPrivileges` lists what the roles allow, per database ('' for every one).
  if (command.showPrivileges === true || command.showPrivileges === 1) {
    authInfo.authenticatedUserPrivileges = (user?.roles ?? []).map((role) => ({
      resource: { db: role.db === '*' ? '' : role.db, collection: '' },
      actions: ACTIONS_BY_ROLE[role.role],
    }));
  }
  return { authInfo, ok: 1 };
};

/** Some of the actions mongod's built-in roles grant on their database's collections. */
const READ_ACTIONS = ['collStats', 'dbStats', 'find', 'killCursors', 'listCollections'];
const WRITE_ACTIONS = ['createCollection', 'createIndex', 'insert', 'remove', 'update'];
const USER_ACTIONS = ['createUser', 'dropUser', 'grantRole', 'revokeRole', 'viewUser'];
const ACTIONS_BY_ROLE: Record<TestRoleName, string[]> = {
  read: READ_ACTIONS,
  readWrite: [...READ_ACTIONS, ...WRITE_ACTIONS],
  userAdmin: USER_ACTIONS,
  dbOwner: [...READ_ACTIONS, ...WRITE_ACTIONS, ...USER_ACTIONS],
  root: [...READ_ACTIONS, ...WRITE_ACTIONS, ...USER_ACTIONS],
};
