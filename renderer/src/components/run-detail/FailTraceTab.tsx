/** The Python traceback Sacred stored for a failed run, as the user saw it in the terminal. */
export function FailTraceTab({ trace }: { trace: string[] }) {
  return <pre className="fail-trace">{trace.join('')}</pre>;
}
