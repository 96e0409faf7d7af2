import type { RunContent } from './run-document';
import type { FolderPlan } from './send-plan';

/** What a writer reports and checks while it writes one run. */
export interface WriteHooks {
  signal: AbortSignal;
  /** Throws CANCELLED when the send was cancelled. */
  check(): void;
  progress(file: string, bytes: number, totalBytes: number): void;
}

export interface WrittenRun {
  id: string;
  /** Why the run was left FAILED part-way (it exists, with what arrived), or null. */
  failure: string | null;
}

/**
 * Writes sent runs into one kind of source (MongoDB, a FileStorageObserver folder). A write
 * that is cancelled removes what it wrote and throws CANCELLED; one that fails once the run exists
 * leaves it FAILED with the reason (never RUNNING) and says so; one that fails before throws.
 */
export interface RunWriter {
  /** The id of a COMPLETED run holding the same folder (HASH7 and files), or null. */
  findDuplicate(plan: FolderPlan): Promise<string | null>;
  write(content: RunContent, hooks: WriteHooks): Promise<WrittenRun>;
  close?(): Promise<void>;
}
