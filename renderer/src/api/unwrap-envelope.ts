import type { Envelope } from '../../../shared/client-api';
import { AltarError, errorCodes } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Turns a reply envelope back into a result or a thrown AltarError (errors lose their class in transit). */
export function unwrapEnvelope<T>(reply: unknown): T {
  if (reply !== null && typeof reply === 'object' && 'ok' in reply) {
    const envelope = reply as Envelope<T>;
    if (envelope.ok) return envelope.result;
    const error = envelope.error as
      { code?: unknown; message?: unknown; parentFolder?: unknown } | undefined;
    const message = typeof error?.message === 'string' ? error.message : 'Unknown error';
    const parentFolder = typeof error?.parentFolder === 'string' ? error.parentFolder : undefined;
    return throwError(
      AltarError.fromPayload({
        code: isErrorCode(error?.code) ? error.code : 'INTERNAL',
        message,
        parentFolder,
      }),
    );
  }
  return throwError(new AltarError('INTERNAL', 'The app sent a reply this page cannot read.'));
}

function throwError(error: AltarError): never {
  throw error;
}
