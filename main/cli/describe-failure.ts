import { isAltarError } from '../../shared/errors';
import { CliFailure, EXIT_INTERRUPTED, PASSWORD_ENV, PROGRAM, UsageError } from './cli-errors';

export interface FailureReport {
  line: string;
  exitCode: number;
  /** Only for failures we did not foresee, and only shown with ALTAR_DEBUG=1. */
  stack: string | null;
}

/** One line per failure, never a stack trace: what the user did wrong or what went wrong. */
export function describeFailure(error: unknown): FailureReport {
  if (error instanceof UsageError) {
    return {
      line: `${PROGRAM}: ${error.message} (see ${PROGRAM} --help)`,
      exitCode: 2,
      stack: null,
    };
  }
  if (error instanceof CliFailure) {
    return { line: `${PROGRAM}: ${oneLine(error.message)}`, exitCode: error.exitCode, stack: null };
  }
  if (isAltarError(error)) {
    // Bad names and unknown sources or runs come from what the user typed.
    const exitCode =
      error.code === 'INVALID_ARGUMENT' || error.code === 'NOT_FOUND'
        ? 2
        : error.code === 'CANCELLED'
          ? EXIT_INTERRUPTED
          : 1;
    let line = oneLine(error.message);
    if (error.code === 'PASSWORD_REQUIRED') {
      // The core's advice is written for the app's connection settings; the CLI has its own.
      const [first] = line.split(/\.\s/u);
      line = `${(first ?? line).replace(/\.$/u, '')} (set ${PASSWORD_ENV} or run in a terminal)`;
    }
    return { line: `${PROGRAM}: ${line}`, exitCode, stack: error.stack ?? null };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: `${PROGRAM}: internal error: ${oneLine(message)}`,
    exitCode: 1,
    stack: error instanceof Error ? (error.stack ?? null) : null,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/gu, ' ').trim();
}
