import { awaitedReplies } from './awaited-replies';

/**
 * Long work cut into steps that run only while the page is idle (issue 13: plotly's
 * evaluation, ~300 ms CPU in one piece, made the click that met it wait). The steps fill each
 * idle period (up to 50 ms when nothing is drawn) but a slice ends before the next step as soon
 * as input is pending, so a click waits for one step at most; where the browser cannot tell
 * (no `navigator.scheduling.isInputPending`), for the rest of the idle period at most.
 */

/** Work done a step at a time: runs steps until `shouldStop()` or the end; true at the end. */
export type Stepper = (shouldStop: () => boolean) => boolean;

export interface IdleScheduler {
  /** Calls back in the page's next idle period with how many ms of it are left. */
  whenIdle(callback: (timeRemaining: () => number) => void): void;
  /** Calls back in a new task, soon, idle or not. */
  soon(callback: () => void): void;
  now(): number;
  /** A click or key press is waiting for the main thread. */
  inputPending(): boolean;
}

/**
 * Once hurried (the user is waiting for the result), slices run back to back, this long each,
 * so the page still answers between them.
 */
export const HURRIED_SLICE_MS = 16;
/** An idle slice stops this close to the end of the idle period (a step overruns it a little). */
const IDLE_MARGIN_MS = 1;

/** Work started by stepWhenIdle. */
export interface IdleSteps {
  /**
   * The user is about to need the result: the remaining slices run back to back (each
   * HURRIED_SLICE_MS at most, so the page keeps answering), not only when the page is idle.
   */
  hurry(): void;
}

/**
 * Runs `step` in idle periods until it is done or `stop()` says it is no longer wanted (e.g.
 * the work is being finished in one go because the user needs it now).
 */
export function stepWhenIdle(
  step: Stepper,
  scheduler: IdleScheduler,
  stop: () => boolean,
): IdleSteps {
  // A slice scheduled before hurry() is dropped when it comes: one chain of slices at a time.
  let chain = 0;
  let hurried = false;
  let done = false;
  const slice = (ofChain: number, timeRemaining: () => number): void => {
    if (ofChain !== chain || stop()) return;
    done = step(() => stop() || scheduler.inputPending() || timeRemaining() <= IDLE_MARGIN_MS);
    if (!done) next();
  };
  const next = (): void => {
    const ofChain = chain;
    if (hurried) {
      scheduler.soon(() => {
        const started = scheduler.now();
        slice(ofChain, () => HURRIED_SLICE_MS - (scheduler.now() - started));
      });
    } else scheduler.whenIdle((timeRemaining) => slice(ofChain, timeRemaining));
  };
  next();
  return {
    hurry() {
      if (hurried || done) return;
      hurried = true;
      chain += 1;
      next();
    },
  };
}

interface InputPendingNavigator {
  scheduling?: { isInputPending?: (options?: { includeContinuous?: boolean }) => boolean };
}

/**
 * The browser's idle callbacks and input check (a timer where idle callbacks are missing). A
 * period that comes while the user awaits a reply (model/awaited-replies.ts) is not idle for
 * us: the callback waits for the reply and the next idle period after it.
 */
export const browserIdleScheduler: IdleScheduler = {
  whenIdle(callback) {
    const run = (timeRemaining: () => number): void => {
      if (awaitedReplies.any())
        awaitedReplies.whenNone(() => browserIdleScheduler.whenIdle(callback));
      else callback(timeRemaining);
    };
    if (typeof requestIdleCallback === 'function') {
      requestIdleCallback((deadline) => run(() => deadline.timeRemaining()));
    } else {
      setTimeout(() => {
        const started = performance.now();
        run(() => 16 - (performance.now() - started));
      }, 50);
    }
  },
  soon(callback) {
    setTimeout(callback, 0);
  },
  now: () => performance.now(),
  inputPending: () =>
    (navigator as InputPendingNavigator).scheduling?.isInputPending?.({
      includeContinuous: false,
    }) ?? false,
};
