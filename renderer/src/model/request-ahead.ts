/** A request under way: its answer (null once cancelled) and how to give it up. */
export interface Started<T> {
  result: Promise<T | null>;
  cancel: () => void;
}

/**
 * A request started before the render that will want it: a zoom's refine leaves at mouse-up,
 * while plotly draws the zoom, and React learns the range only after that frame (issue 13:
 * rendering the plot's component inside plotly's mouse-up delayed the zoom's first frame).
 * The render takes it once by the key it was started for; a request kept for another key is
 * cancelled, so no answer is ever shown for a range the plot is not on.
 */
export class RequestAhead<T> {
  private ahead: { key: string; started: Started<T> } | null = null;

  /** Keeps `started` for the render that asks for `key`; one kept before is cancelled. */
  put(key: string, started: Started<T>): void {
    this.ahead?.started.cancel();
    this.ahead = { key, started };
  }

  /** The request started for `key`, once; null when none was (another key's is cancelled). */
  take(key: string): Started<T> | null {
    const ahead = this.ahead;
    this.ahead = null;
    if (ahead === null) return null;
    if (ahead.key === key) return ahead.started;
    ahead.started.cancel();
    return null;
  }
}
