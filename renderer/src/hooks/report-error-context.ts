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
