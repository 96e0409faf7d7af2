/**
 * At most one request of a kind at a time, the newest wins (issue 13: each zoom or pan of a
 * 20-run plot asked the server for every trace again; a few quick ones queued full reads that
 * were all answered in turn, each reply thrown away but the last). A request scheduled while
 * one runs waits for it to settle; one cancelled meanwhile (a newer zoom came) is never sent.
 */
export class OneRequestAtATime {
  private running: Promise<unknown> | null = null;

  /** Sends `send()` now, or once the running request settles. Returns a cancel function. */
  schedule(send: () => Promise<unknown>): () => void {
    let cancelled = false;
    const go = (): void => {
      if (cancelled) return;
      const request = send();
      this.running = request;
      const settled = (): void => {
        if (this.running === request) this.running = null;
      };
      request.then(settled, settled);
    };
    const busy = this.running;
    if (busy === null) go();
    else void busy.then(go, go);
    return () => {
      cancelled = true;
    };
  }
}
