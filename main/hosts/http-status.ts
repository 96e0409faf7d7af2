import type { ErrorCode } from '../../shared/errors';
import type { DispatchOutcome } from './dispatch';

const statusByCode: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  ALREADY_EXISTS: 409,
  SYNC_IN_PROGRESS: 409,
  SOURCE_UNAVAILABLE: 503,
  CONNECTION_FAILED: 502,
  // Not 401/403: the HTTP host uses those for its own token check.
  AUTH_FAILED: 422,
  TIMEOUT: 504,
  CANCELLED: 409,
  PASSWORD_REQUIRED: 428,
  READ_ONLY: 403,
  CONFLICT: 409,
  INTERNAL: 500,
};

/**
 * The HTTP status of a resource route's failure (an artifact, raw data: what an <img> or a
 * download sees); the body always carries the exact code.
 */
export function httpStatusFor(code: ErrorCode): number {
  return statusByCode[code];
}

/**
 * The HTTP status of an API reply. What a user asked and the core answered with an error
 * (a folder not found, a refused connection, a wrong password, a run that is gone) is a
 * result: 200, with the error in the envelope, as the IPC door delivers it; a browser logs
 * no "Failed to load resource" for it. HTTP errors are kept for faults of the protocol: a
 * request the door refused (400 arguments outside the contract, 404 unknown method, 403 a
 * method this door does not offer) and a bug (500). The token check answers 401/403 before
 * any call is dispatched.
 */
export function apiReplyStatus(outcome: DispatchOutcome): number {
  const { envelope } = outcome;
  if (envelope.ok) return 200;
  if (outcome.refusedByDoor) return statusByCode[envelope.error.code];
  return envelope.error.code === 'INTERNAL' ? 500 : 200;
}
