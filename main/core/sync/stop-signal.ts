/** How often a running sync looks whether it was asked to stop while a read is pending. */
const POLL_MS = 100;

export interface StopSignal {
  /**
   * The read's result, or null once `stopping()` returns true first: a read that hangs (a dead
   * network share) must not keep a cancelled sync, and its source, "syncing", nor keep the core
   * from closing. The abandoned read's result (or failure) is dropped when it comes.
   */
  race<T>(read: Promise<T>): Promise<T | null>;
  dispose(): void;
}

/**
 * Races each read of a sync against the sync being stopped. Not `Promise.race` against one
 * promise that settles only on a stop: each race adds a reaction to that promise, which holds
 * the race's own promise and so its result, until the sync ends. A first sync of 20k runs kept
 * every run it had read (their metrics, captured output and JSON text) on the core's thread:
 * 1.5 GB of RSS, and a heap that each of V8's full collections marked again (issue 13).
 */
export function stopSignal(stopping: () => boolean): StopSignal {
  // The stop callbacks of the reads still pending: a read that settles takes its own out.
  const pending = new Set<() => void>();
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped || !stopping()) return;
    stopped = true;
    for (const stop of pending) stop();
    pending.clear();
  }, POLL_MS);
  timer.unref?.();
  return {
    race: <T>(read: Promise<T>) =>
      new Promise<T | null>((resolve, reject) => {
        const stop = (): void => resolve(null);
        if (stopped) stop();
        else pending.add(stop);
        read.then(
          (value) => {
            pending.delete(stop);
            resolve(value);
          },
          (error: unknown) => {
            pending.delete(stop);
            reject(error);
          },
        );
      }),
    dispose: () => clearInterval(timer),
  };
}
