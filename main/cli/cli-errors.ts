// Kept free of the core and of zod: `--version` and `--help` load only this and the parser.
export const PROGRAM = 'altar-viewer';
/** What shells report for a command stopped by Ctrl+C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
/** Where the CLI reads a MongoDB password from when the URI has none. */
export const PASSWORD_ENV = 'ALTAR_MONGO_PASSWORD';

/** The user typed something we cannot act on: exit code 2 and a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure already phrased for the user (one line), with its exit code. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}
