import { z } from 'zod';
import { maskUrlCredentials } from './url-credentials';

/** Every failure that crosses a door (IPC, HTTP, CLI) carries one of these codes. */
export const errorCodes = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'SOURCE_UNAVAILABLE',
  'SYNC_IN_PROGRESS',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'UNKNOWN_METHOD',
  /** A server that cannot be reached: refused port, unknown host, TLS mismatch. */
  'CONNECTION_FAILED',
  /** The server answered but refused the credentials. */
  'AUTH_FAILED',
  /** The server accepted the connection but did not answer in time. */
  'TIMEOUT',
  /** The user cancelled the operation. */
  'CANCELLED',
  /** A password is needed and none is stored or given (CLI/browser keep them in memory only). */
  'PASSWORD_REQUIRED',
  /** A write (tags, notes, delete) to a source whose writes are off, or whose user may only read. */
  'READ_ONLY',
  /** The source changed since the cache was read: the user must choose (issue 15). */
  'CONFLICT',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorPayloadSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Set when a folder given as a source is one run's folder: the folder of runs holding it. */
  parentFolder: z.string().optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;

/** The one error type of the contract; hosts turn it into the same payload on every door. */
export class AltarError extends Error {
  readonly code: ErrorCode;
  /** See ErrorPayload.parentFolder: lets a form offer "Add parent folder" instead of a dead end. */
  readonly parentFolder: string | undefined;

  constructor(code: ErrorCode, message: string, details: { parentFolder?: string } = {}) {
    super(message);
    this.name = 'AltarError';
    this.code = code;
    this.parentFolder = details.parentFolder;
  }

  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: maskUrlCredentials(this.message) };
    if (this.parentFolder !== undefined) payload.parentFolder = this.parentFolder;
    return payload;
  }

  static fromPayload(payload: ErrorPayload): AltarError {
    return new AltarError(payload.code, payload.message, { parentFolder: payload.parentFolder });
  }
}

export function isAltarError(value: unknown): value is AltarError {
  return value instanceof AltarError;
}

/** Turns anything thrown into a payload without leaking stack traces or internals. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof AltarError) return error.toPayload();
  if (error instanceof z.ZodError) {
    return { code: 'INVALID_ARGUMENT', message: maskUrlCredentials(describeZodError(error)) };
  }
  // The last lock on every door: whatever a library put in its message, no URL password leaves.
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: maskUrlCredentials(message) };
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'arguments';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
