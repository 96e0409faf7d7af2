/**
 * The line a user reads first in a failed run's traceback: its last non-blank line
 * (`ValueError: loss is NaN`). Sacred stores fail_trace as a list of chunks, each of which may
 * hold several lines. Null without a trace.
 */
export function exceptionLine(failTrace: readonly string[] | null | undefined): string | null {
  if (failTrace === null || failTrace === undefined) return null;
  const lines = failTrace.join('\n').split(/\r?\n/u);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] as string).trim();
    if (line !== '') return line;
  }
  return null;
}
