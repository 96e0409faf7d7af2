/**
 * What the UI says about a source's writes: every source starts read-only, and the user turns
 * edits on per source (source menu, or `altar-viewer sources set NAME --writes on`).
 */

export interface WritesAnswer {
  source: string;
  writable: boolean;
  userCanWrite: boolean | null;
  message: string | null;
}

/** How to turn edits on, for a read-only source's tags and notes. */
export function enableEditsHint(source: string): string {
  return `${source} is read-only. To edit tags and notes, choose “Allow edits” in the source’s ⋯ menu in the sidebar (or run: altar-viewer sources set ${source} --writes on).`;
}

/**
 * The sentence shown under a source after the user asked to turn edits on or off: the
 * server's own answer when writes stay off ("this user can only read lab"), else what changed.
 */
export function writesAnswerText(answer: WritesAnswer, asked: boolean): string {
  if (asked && !answer.writable) {
    return answer.message ?? `Edits of ${answer.source} stay off.`;
  }
  if (!asked) return `${answer.source} is read-only again: tags and notes can no longer be edited.`;
  const caution = answer.message === null ? '' : ` ${answer.message}`;
  return `Edits of ${answer.source} are on: tags and notes can be changed.${caution}`;
}

/** Whether the answer is a refusal the user should notice (shown as an alert). */
export function writesRefused(answer: WritesAnswer, asked: boolean): boolean {
  return asked && !answer.writable;
}
