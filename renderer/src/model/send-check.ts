import type { SendPreviewFolder } from '../../../shared/contract/send-methods';

/**
 * What the user chose for a folder that was sent before: skip it, send it again as a new run,
 * or (its earlier send FAILED part-way) resume that run, storing only what did not arrive.
 */
export type FolderChoice = 'skip' | 'again' | 'resume';

export type FolderVerdictKind = 'ready' | 'problems' | 'sent-before' | 'failed-earlier';

/** One folder of the check step: whether it will be sent, and why not. */
export interface FolderVerdict {
  folder: string;
  name: string;
  kind: FolderVerdictKind;
  /** What the Send button does with it. */
  choice: FolderChoice | 'send';
  problems: string[];
  /** The run that holds this folder already (sent before, or the FAILED one), else null. */
  runId: string | null;
  /** failed-earlier: "3 of 5 files arrived" and its reason. */
  failed: NonNullable<SendPreviewFolder['failedEarlier']> | null;
  files: number;
}

/**
 * Each folder's verdict: a folder with a problem (a bad or missing file) is never sent; one
 * sent before is sent again only when the user says so (the old sender duplicated silently);
 * one whose earlier send failed is resumed unless the user chooses otherwise (a resume stores
 * only what is missing, so it never duplicates).
 */
export function folderVerdicts(
  previews: readonly SendPreviewFolder[],
  choices: ReadonlyMap<string, FolderChoice>,
): FolderVerdict[] {
  return previews.map((preview) => {
    const base = {
      folder: preview.folder,
      name: preview.name,
      problems: preview.problems,
      files: preview.files.length,
      runId: null,
      failed: null,
    };
    if (preview.problems.length > 0) return { ...base, kind: 'problems', choice: 'skip' };
    if (preview.duplicateOf !== null) {
      const choice = choices.get(preview.folder) === 'again' ? 'again' : 'skip';
      return { ...base, kind: 'sent-before', choice, runId: preview.duplicateOf };
    }
    const failed = preview.failedEarlier;
    if (failed !== undefined) {
      return {
        ...base,
        kind: 'failed-earlier',
        choice: choices.get(preview.folder) ?? 'resume',
        runId: failed.id,
        failed,
      };
    }
    return { ...base, kind: 'ready', choice: 'send' };
  });
}

/** One sendRuns call: its folders and flags. */
export interface SendBatch {
  folders: string[];
  again: boolean;
  resume: boolean;
}

/**
 * The sendRuns calls the verdicts need. `again` and `resume` apply to a whole call (with both,
 * `again` wins), so folders to resume and folders to send again as new runs go in two calls;
 * folders never sent go with the first.
 */
export function sendBatches(verdicts: readonly FolderVerdict[]): SendBatch[] {
  const fresh = verdicts.filter((v) => v.choice === 'send').map((v) => v.folder);
  const resumed = verdicts.filter((v) => v.choice === 'resume').map((v) => v.folder);
  const again = verdicts.filter((v) => v.choice === 'again').map((v) => v.folder);
  const batches: SendBatch[] = [];
  if (fresh.length > 0 || resumed.length > 0) {
    batches.push({ folders: [...fresh, ...resumed], again: false, resume: resumed.length > 0 });
  }
  if (again.length > 0) batches.push({ folders: again, again: true, resume: false });
  return batches;
}

/** "Send 2 runs", "Send 1 run (1 resumed)", or "Nothing to send". */
export function sendButtonLabel(verdicts: readonly FolderVerdict[]): string {
  const count = verdicts.filter((v) => v.choice !== 'skip').length;
  if (count === 0) return 'Nothing to send';
  const resumed = verdicts.filter((v) => v.choice === 'resume').length;
  return `Send ${count} run${count === 1 ? '' : 's'}${resumed > 0 ? ` (${resumed} resumed)` : ''}`;
}

/** The line over the list: how many folders are held back, and why. */
export function checkSummary(verdicts: readonly FolderVerdict[]): string {
  const problems = verdicts.filter((verdict) => verdict.kind === 'problems').length;
  const skipped = verdicts.filter((v) => v.kind !== 'problems' && v.choice === 'skip').length;
  const parts: string[] = [];
  if (problems > 0) {
    parts.push(
      `${problems} folder${problems === 1 ? ' has' : 's have'} problems and will not be sent`,
    );
  }
  if (skipped > 0) {
    parts.push(
      `${skipped} folder${skipped === 1 ? ' was' : 's were'} sent before and will be skipped`,
    );
  }
  return parts.length === 0 ? 'Every folder will be sent.' : `${parts.join('; ')}.`;
}
