import type { ErrorCode } from '../../shared/errors';

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
  INTERNAL: 500,
};

/** The HTTP status a failed call answers with; the body always carries the exact code. */
export function httpStatusFor(code: ErrorCode): number {
  return statusByCode[code];
}
