import type { DataFiles, RunContent } from './run-document';
import type { FolderPlan } from './send-plan';

/** What a writer reports and checks while it writes one run. */
export interface WriteHooks {
  signal: AbortSignal;
  /** Throws CANCELLED when the send was cancelled. */
  check(): void;
  progress(file: string, bytes: number, totalBytes: number, arrived?: boolean): void;
}

export interface WrittenRun {
  /** Why the run was left FAILED part-way (it exists, with what arrived), or null. */
  failure: string | null;
  /** Resumed: artifacts found stored already (size and MD5) and not stored again. */
  alreadyArrived: number;
}

/** An earlier send of a folder whose run is FAILED: what a resume completes. */
export interface FailedSend {
  id: string;
  startTime: Date;
  /** `HASH7-YYYYMMDDTHHMMSS` of the names it stored, read from a name it records, or null. */
  prefix: string | null;
  /** Its config's seed, kept by a resume (null when it has none). */
  seed: number | null;
  /** Stored names the run records as stored (artifacts, raw data). */
  recorded: string[];
  /** Its fail_trace on one line, or null. */
  reason: string | null;
}

/** Earlier sends of a folder in the source. */
export interface EarlierSends {
  /** A COMPLETED run holding the same folder (same HASH7 and file names), or null. */
  completed: string | null;
  /** The latest FAILED run of the folder (same name, names of the same HASH7), or null. */
  failed: FailedSend | null;
}

/** A run being written: new (FAILED until it is finished) or an earlier FAILED one reopened. */
export interface OpenRun {
  id: string;
  /** Records the raw data stored so far, so that a send killed later still says it arrived. */
  recordRaw(rawData: DataFiles['raw_data']): Promise<void>;
  /**
   * Stores the artifacts (a reopened run: only those not arrived), the metrics, and the final
   * document. A failure leaves the run FAILED with the reason and is returned; a cancel throws
   * CANCELLED (a new run is then to be discarded).
   */
  finish(content: RunContent, hooks: WriteHooks): Promise<WrittenRun>;
  /** Marks the run FAILED with `reason` (best effort: the server may be gone). */
  fail(reason: string): Promise<void>;
  /** A cancelled new run: removes it and everything it wrote. */
  discard(): Promise<void>;
}

/**
 * Writes sent runs into one kind of source (MongoDB, a FileStorageObserver folder). A run is
 * created FAILED ("did not finish") before anything is stored, so a send killed at any point
 * leaves a FAILED run recording what arrived, which a resume completes; never RUNNING.
 */
export interface RunWriter {
  findEarlier(plan: FolderPlan): Promise<EarlierSends>;
  /** Creates a new run from `content` (status FAILED until finished). */
  begin(content: RunContent): Promise<OpenRun>;
  /** Reopens an earlier FAILED run to complete it; its id and start time are kept. */
  reopen(failed: FailedSend): Promise<OpenRun>;
}

/** The reason a run left by an unfinished send shows until it is finished. */
export const UNFINISHED_TRACE = [
  'Altar Viewer: the send of this folder did not finish; resume it (--resume) to complete ' +
    'this run, or send it again (--again) as a new run.\n',
];
