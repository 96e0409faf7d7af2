import type { SendPreviewFolder } from '../../../shared/contract/send-methods';

/** What the user chose for a folder that was sent before. */
export type FolderChoice = 'skip' | 'again';

export type FolderVerdictKind = 'ready' | 'problems' | 'sent-before';

/** One folder of the check step: whether it will be sent, and why not. */
export interface FolderVerdict {
  folder: string;
  name: string;
  kind: FolderVerdictKind;
  /** Whether the Send button sends it. */
  send: boolean;
  problems: string[];
  /** The run that holds this folder already (same files), else null. */
  sentAs: string | null;
  files: number;
}

/**
 * Each folder's verdict: a folder with a problem (a bad or missing file) is never sent; one
 * sent before is sent again only when the user says so (the old sender duplicated silently).
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
      sentAs: preview.duplicateOf,
      files: preview.files.length,
    };
    if (preview.problems.length > 0) return { ...base, kind: 'problems', send: false };
    if (preview.duplicateOf !== null) {
      return { ...base, kind: 'sent-before', send: choices.get(preview.folder) === 'again' };
    }
    return { ...base, kind: 'ready', send: true };
  });
}

/** The sendRuns arguments the verdicts give: the folders to send and whether `again`. */
export function sendSelection(verdicts: readonly FolderVerdict[]): {
  folders: string[];
  again: boolean;
} {
  const sent = verdicts.filter((verdict) => verdict.send);
  return {
    folders: sent.map((verdict) => verdict.folder),
    again: sent.some((verdict) => verdict.kind === 'sent-before'),
  };
}

/** "Send 2 runs", "Send 1 run", or "Nothing to send". */
export function sendButtonLabel(count: number): string {
  if (count === 0) return 'Nothing to send';
  return `Send ${count} run${count === 1 ? '' : 's'}`;
}

/** The line over the list: how many folders are held back, and why. */
export function checkSummary(verdicts: readonly FolderVerdict[]): string {
  const problems = verdicts.filter((verdict) => verdict.kind === 'problems').length;
  const skipped = verdicts.filter((verdict) => verdict.kind === 'sent-before' && !verdict.send);
  const parts: string[] = [];
  if (problems > 0) {
    parts.push(
      `${problems} folder${problems === 1 ? ' has' : 's have'} problems and will not be sent`,
    );
  }
  if (skipped.length > 0) {
    parts.push(
      `${skipped.length} folder${skipped.length === 1 ? ' was' : 's were'} sent before (tick “Send again” to send ${skipped.length === 1 ? 'it' : 'them'} anyway)`,
    );
  }
  return parts.length === 0 ? 'Every folder is ready.' : `${parts.join('; ')}.`;
}
