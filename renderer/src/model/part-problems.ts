/**
 * The reader's warnings (RunDetail.warnings, one line each) that concern one part of a run,
 * so that a tab can say why it is empty instead of "nothing was recorded".
 */
export type RunPart = 'config' | 'info' | 'metrics' | 'output';

const PATTERNS: Record<RunPart, RegExp> = {
  config: /^config(\.json)?\b/u,
  info: /^info(\.json)?\b/u,
  metrics: /^metrics\.json\b|^metric\b/u,
  output: /^cout\.txt\b|^captured_out\b/u,
};

export function partProblems(warnings: readonly string[], part: RunPart): string[] {
  return warnings.filter((warning) => PATTERNS[part].test(warning));
}

/** What an empty part's tab says: why it could not be read, or `nothing` when it is just empty. */
export function emptyPartText(warnings: readonly string[], part: RunPart, nothing: string): string {
  const problems = partProblems(warnings, part);
  return problems.length === 0 ? nothing : `The ${part} could not be read: ${problems.join('; ')}`;
}
