import { afterEach, describe, expect, it, vi } from 'vitest';
import { awaitedReplies, createAwaitedReplies } from '../../renderer/src/model/awaited-replies';
import { browserIdleScheduler } from '../../renderer/src/model/idle-steps';

describe('replies the user awaits (renderer/src/model/awaited-replies.ts)', () => {
  it('holds callbacks until every awaited reply has come, then runs each once', () => {
    const replies = createAwaitedReplies();
    const ran: string[] = [];
    const first = replies.awaitReply();
    const second = replies.awaitReply();
    replies.whenNone(() => ran.push('a'));
    first();
    first(); // a reply told twice counts once
    expect(replies.any()).toBe(true);
    expect(ran).toEqual([]);
    second();
    expect(replies.any()).toBe(false);
    expect(ran).toEqual(['a']);
    replies.whenNone(() => ran.push('b'));
    expect(ran).toEqual(['a', 'b']);
    const third = replies.awaitReply();
    third();
    expect(ran).toEqual(['a', 'b']);
  });
});

describe('idle periods while a reply is awaited (browserIdleScheduler)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('does not hand a period to idle work while the user awaits a reply, and does after it', () => {
    const periods: ((deadline: { timeRemaining: () => number }) => void)[] = [];
    vi.stubGlobal('requestIdleCallback', (callback: (typeof periods)[number]) => {
      periods.push(callback);
      return periods.length;
    });
    const ran: number[] = [];
    browserIdleScheduler.whenIdle((timeRemaining) => ran.push(timeRemaining()));
    const came = awaitedReplies.awaitReply();
    // The browser's idle period comes while the reply is on its way: not used.
    periods.shift()?.({ timeRemaining: () => 40 });
    expect(ran).toEqual([]);
    expect(periods).toHaveLength(0);
    came();
    // The reply came: the work asks for the next idle period and runs in it.
    expect(periods).toHaveLength(1);
    periods.shift()?.({ timeRemaining: () => 30 });
    expect(ran).toEqual([30]);
  });
});
