/** How often a running sync looks whether it was asked to stop while a read is pending. */
const POLL_MS = 100;

export interface StopSignal {
  /** Resolves with null once `stopping()` returns true. */
  readonly stopped: Promise<null>;
  dispose(): void;
}

/**
 * A promise that settles when the sync is asked to stop, to race against a read: a read that
 * hangs (a dead network share) must not keep a cancelled sync, and its source, "syncing", nor
 * keep the core from closing. The abandoned read's result is dropped when it comes.
 */
export function stopSignal(stopping: () => boolean): StopSignal {
  let timer: ReturnType<typeof setInterval> | null = null;
  const stopped = new Promise<null>((resolve) => {
    timer = setInterval(() => {
      if (stopping()) resolve(null);
    }, POLL_MS);
    timer.unref?.();
  });
  return {
    stopped,
    dispose: () => {
      if (timer !== null) clearInterval(timer);
    },
  };
}
