// No zod at run time here: every door and most of the core import this file, and `serve` prints
// its URL before zod and the contract's schemas are loaded (main/core/contract-checks.ts). The
// schemas of these shapes are in ./error-payload-schema.ts.
import type { z } from 'zod';
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

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** Set when a folder given as a source is one run's folder: the folder of runs holding it. */
  parentFolder?: string | undefined;
}

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
  if (isZodError(error)) {
    return { code: 'INVALID_ARGUMENT', message: maskUrlCredentials(describeZodError(error)) };
  }
  // The last lock on every door: whatever a library put in its message, no URL password leaves.
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: maskUrlCredentials(message) };
}

/**
 * `error instanceof z.ZodError` without loading zod: zod's classes answer instanceof by the
 * traits they stamp on each instance (zod/v4/core `$constructor`), which is what this reads.
 */
export function isZodError(error: unknown): error is z.ZodError {
  if (typeof error !== 'object' || error === null) return false;
  const traits = (error as { _zod?: { traits?: unknown } })._zod?.traits;
  return traits instanceof Set && traits.has('ZodError');
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'arguments';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
