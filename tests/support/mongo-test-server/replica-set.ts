// The replica-set mode: several listeners of one process, one per member, sharing one store.
// Each member answers hello as mongod's replica-set members do (setName, hosts, primary, me),
// so drivers discover the set from a seed list and follow a primary change; a secondary
// refuses writes and reads that did not ask for a secondary, with mongod's codes.
import { ObjectId } from 'bson';
import type { Document } from 'bson';
import { CommandError } from './command-error';
import type { CommandContext } from './server-state';

export interface ReplicaSetState {
  readonly name: string;
  /** "host:port" of each member, as hello's `hosts`, `primary` and `me` name them. */
  readonly hosts: string[];
  /** Index into `hosts` of the member that is primary now. */
  primary: number;
  /** The election term: grows with each primary change, so drivers see a newer electionId. */
  term: number;
}

const CURSOR_COMMANDS: ReadonlySet<string> = new Set(['getMore', 'killCursors']);

export function isWritablePrimary(context: CommandContext): boolean {
  const set = context.server.replicaSet;
  return set === null || set.primary === context.connection.member;
}

/** The fields a replica-set member adds to hello (none for a standalone). */
export function replicaSetHelloFields(context: CommandContext): Document {
  const set = context.server.replicaSet;
  if (set === null) return {};
  const primary = set.primary === context.connection.member;
  const fields: Document = {
    hosts: [...set.hosts],
    setName: set.name,
    setVersion: 1,
    secondary: !primary,
    primary: set.hosts[set.primary],
    me: set.hosts[context.connection.member],
  };
  // mongod's electionId: 0x7fffffff followed by the term, only on the primary.
  if (primary)
    fields.electionId = new ObjectId(`7fffffff${set.term.toString(16).padStart(16, '0')}`);
  return fields;
}

/**
 * What a secondary refuses (mongod's checks, run after authorization): writes (NotWritablePrimary, labelled retryable when the driver
 * sent a retryable write), and reads whose read preference is absent or `primary`
 * (NotPrimaryNoSecondaryOk).
 */
export function checkMemberRole(
  name: string,
  kind: 'read' | 'write',
  command: Document,
  context: CommandContext,
): void {
  // A cursor opened on a secondary is read on from there: getMore carries no read preference.
  if (isWritablePrimary(context) || CURSOR_COMMANDS.has(name)) return;
  if (kind === 'write') {
    const labels = command.txnNumber === undefined ? {} : { errorLabels: ['RetryableWriteError'] };
    throw new CommandError('NotWritablePrimary', 'not primary', labels);
  }
  const readPreference: unknown = command.$readPreference;
  const mode =
    typeof readPreference === 'object' && readPreference !== null && 'mode' in readPreference
      ? readPreference.mode
      : 'primary';
  if (mode === 'primary') {
    throw new CommandError('NotPrimaryNoSecondaryOk', 'not primary and secondaryOk=false');
  }
}

/** Makes another member primary (the next one unless named) and starts a new term. */
export function stepDown(set: ReplicaSetState, newPrimary?: number): void {
  const next = newPrimary ?? (set.primary + 1) % set.hosts.length;
  if (!Number.isInteger(next) || next < 0 || next >= set.hosts.length) {
    throw new Error(`no member ${next} in replica set ${set.name}`);
  }
  if (next === set.primary) return;
  set.primary = next;
  set.term += 1;
}
