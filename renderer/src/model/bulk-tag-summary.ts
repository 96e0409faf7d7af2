/** What "Add tag to selected runs" did, in one sentence: tagged, waiting, left out, failed. */
export function bulkTagSummary(
  tag: string,
  result: {
    edits: readonly { state: 'saved' | 'pending' | 'conflict' }[];
    readOnly: ReadonlyMap<string, number>;
    failed: ReadonlyMap<string, string>;
  },
): string {
  const parts: string[] = [];
  const runs = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;
  const saved = result.edits.filter((edit) => edit.state === 'saved').length;
  const waiting = result.edits.length - saved;
  if (result.edits.length > 0) {
    parts.push(
      waiting === 0
        ? `Tagged ${runs(saved)} “${tag}”.`
        : `Tagged ${runs(result.edits.length)} “${tag}”; ${waiting} pending until their source is online.`,
    );
  }
  for (const [source, count] of result.readOnly) {
    parts.push(
      `${runs(count)} of ${source} left out: ${source} is read-only (turn on “Allow edits” in its ⋯ menu).`,
    );
  }
  for (const [source, message] of result.failed) {
    parts.push(`Not tagged in ${source}: ${message}`);
  }
  return parts.length === 0 ? 'No run was selected.' : parts.join(' ');
}
