import { createContext, useContext } from 'react';

/** Sends a failure to the app's error banner; components never swallow errors silently. */
export type ReportError = (error: unknown) => void;

export const ReportErrorContext = createContext<ReportError>(() => undefined);

export function useReportError(): ReportError {
  return useContext(ReportErrorContext);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

/** The contract's error code of a failed call (AltarError.code), or null for anything else. */
export function errorCode(error: unknown): string | null {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : null;
}
