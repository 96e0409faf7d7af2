// hello's topologyVersion and awaitable hello (MongoDB >= 4.4): a client that sends back
// the topologyVersion it knows plus maxAwaitTimeMS gets no reply until the topology
// changes or that time passes, so driver monitors wait instead of polling. Whatever
// changes what hello says (a replica-set primary change) calls `changed()`.
import { Long, ObjectId } from 'bson';
import type { Document } from 'bson';
import { isPlainObject } from './field-path';

export class TopologyVersion {
  private readonly processId = new ObjectId();
  private counter = 0;
  private readonly waiters = new Set<() => void>();

  /** The value of hello's `topologyVersion` field now. */
  current(): Document {
    return { processId: this.processId, counter: Long.fromNumber(this.counter) };
  }

  /** Something hello reports changed: awaiting hellos answer at once with the new version. */
  changed(): void {
    this.counter += 1;
    for (const wake of [...this.waiters]) wake();
  }

  /** True when `known` (from a client) is this server's current version. */
  isCurrent(known: unknown): boolean {
    if (!isPlainObject(known)) return false;
    const { processId, counter } = known;
    return (
      processId instanceof ObjectId &&
      processId.equals(this.processId) &&
      Number(String(counter)) === this.counter
    );
  }

  /**
   * Resolves after `maxAwaitTimeMS`, at once if `known` is not current, or as soon as the
   * topology changes or `signal` aborts (the client went away).
   */
  async waitForChange(known: unknown, maxAwaitTimeMS: number, signal: AbortSignal): Promise<void> {
    if (!this.isCurrent(known) || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, maxAwaitTimeMS));
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** The wait an awaitable hello asks for, or undefined for an ordinary one. */
export function awaitTimeMS(command: Document): number | undefined {
  if (command.topologyVersion === undefined) return undefined;
  const wait = Number(String(command.maxAwaitTimeMS));
  return Number.isFinite(wait) && wait >= 0 ? wait : undefined;
}
