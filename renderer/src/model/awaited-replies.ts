/**
 * Replies the user is looking at the screen for (a sort's first rows, rows on screen still
 * drawn as placeholders). Idle-time work (plotly's preload, model/idle-steps.ts) holds while
 * one is awaited: the wait for the server looks idle to the browser, and a slice of up to 50 ms
 * started in it delays the rows by as much when the reply lands (issue 13: a restarted
 * window's first sorts met plotly's preload, ~50 ms more than a warm window's).
 */
export interface AwaitedReplies {
  /** One more reply awaited; the function returned says it came (or failed). Once only. */
  awaitReply(): () => void;
  /** Whether any reply is awaited. */
  any(): boolean;
  /** Calls back now when no reply is awaited, else once the last awaited one has come. */
  whenNone(callback: () => void): void;
}

export function createAwaitedReplies(): AwaitedReplies {
  let count = 0;
  let waiting: (() => void)[] = [];
  return {
    awaitReply() {
      count += 1;
      let came = false;
      return () => {
        if (came) return;
        came = true;
        count -= 1;
        if (count > 0) return;
        const resume = waiting;
        waiting = [];
        for (const callback of resume) callback();
      };
    },
    any: () => count > 0,
    whenNone(callback) {
      if (count === 0) callback();
      else waiting.push(callback);
    },
  };
}

/** The page's one record, shared by the run table's pages and the idle scheduler. */
export const awaitedReplies = createAwaitedReplies();
