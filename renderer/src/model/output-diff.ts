import { diffLines } from 'diff';
import { collapseCarriageReturns } from '../../../shared/ansi-progress';

export interface OutputDiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface OutputDiff {
  lines: OutputDiffLine[];
  /** More lines than `maxLines` differed or matched: the rest is not shown. */
  clipped: boolean;
  /** The outputs are too different to diff in reasonable time (no lines then). */
  tooDifferent: boolean;
}

// Colour codes would make equal lines look different; progress bars only their last state.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/gu;

function clean(text: string): string {
  return collapseCarriageReturns(text).replace(ANSI, '');
}

/** Line diff of two captured outputs, at most `maxLines` lines, bounded in effort. */
export function outputDiff(before: string, after: string, maxLines = 3000): OutputDiff {
  const changes = diffLines(clean(before), clean(after), { maxEditLength: 20_000 });
  if (changes === undefined) return { lines: [], clipped: false, tooDifferent: true };
  const lines: OutputDiffLine[] = [];
  let clipped = false;
  for (const change of changes) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const parts = change.value.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    for (const text of parts) {
      if (lines.length >= maxLines) {
        clipped = true;
        break;
      }
      lines.push({ kind, text });
    }
    if (clipped) break;
  }
  return { lines, clipped, tooDifferent: false };
}
