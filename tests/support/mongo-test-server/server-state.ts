// State shared by the command handlers: one ServerState per server, one
// ConnectionState per client socket (authentication is per connection in mongod).
import type { Document } from 'bson';
import type { CursorRegistry } from './cursor-registry';
import type { Faults } from './faults';
import type { InMemoryStore } from './in-memory-store';
import type { ReplicaSetState } from './replica-set';
import type { ScramConversation, ScramSecrets } from './scram-sha256';
import type { TestUser } from './test-users';
import type { TopologyVersion } from './topology-version';

export interface ServerState {
  readonly store: InMemoryStore;
  readonly cursors: CursorRegistry;
  /**
   * Empty at start: authentication is disabled and every command is allowed. Changed by the
   * user-management commands (user-commands.ts), as mongod's admin.system.users.
   */
  readonly users: TestUser[];
  /** Keyed by `${db}.${user}`. */
  readonly secrets: Map<string, ScramSecrets>;
  /** Access control on (mongod --auth): the server started with users. */
  readonly auth: boolean;
  faults: Faults;
  /** Non-handshake replies sent since the faults were last set. */
  countedReplies: number;
  /** null: a standalone server. */
  readonly replicaSet: ReplicaSetState | null;
  /** Per member (index 0 for a standalone): how many times each command was answered. */
  readonly commandCounts: ReadonlyArray<Map<string, number>>;
  /** Per member: hello's topologyVersion, which awaitable hellos wait on. */
  readonly topologyVersions: readonly TopologyVersion[];
}

export interface ConnectionState {
  readonly id: number;
  /** The replica-set member (listener) the client connected to; 0 for a standalone. */
  readonly member: number;
  user: TestUser | undefined;
  readonly conversations: Map<number, ScramConversation>;
  nextConversationId: number;
}

export interface CommandContext {
  readonly server: ServerState;
  readonly connection: ConnectionState;
  /** The command's $db. */
  readonly db: string;
}

export type CommandHandler = (command: Document, context: CommandContext) => Document;

export function authEnabled(server: ServerState): boolean {
  return server.auth;
}

/** The connection's user, unless dropped since it logged in (mongod forgets it then). */
export function loggedInUser(context: CommandContext): TestUser | undefined {
  const user = context.connection.user;
  return user !== undefined && context.server.users.includes(user) ? user : undefined;
}
