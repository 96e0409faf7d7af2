import { describe, expect, it } from 'vitest';
import { RequestAhead } from '../../renderer/src/model/request-ahead';
import type { Started } from '../../renderer/src/model/request-ahead';

/** A started request whose cancellation the test can see. */
function started(answer: string): Started<string> & { cancelled: () => boolean } {
  let cancelled = false;
  return {
    result: Promise.resolve(answer),
    cancel: () => {
      cancelled = true;
    },
    cancelled: () => cancelled,
  };
}

describe("a zoom's refine started at mouse-up, taken by the render of that range", () => {
  it('gives the request to the render of its range, once', async () => {
    const ahead = new RequestAhead<string>();
    const request = started('points of 10..20');
    ahead.put('10:20:1500', request);
    const taken = ahead.take('10:20:1500');
    expect(taken).toBe(request);
    await expect(taken?.result).resolves.toBe('points of 10..20');
    expect(request.cancelled()).toBe(false);
    // A later render of the same range (other traces shown meanwhile) asks anew.
    expect(ahead.take('10:20:1500')).toBeNull();
  });

  it('cancels a request when the render is of another range, and gives it nothing', () => {
    const ahead = new RequestAhead<string>();
    const request = started('points of 10..20');
    ahead.put('10:20:1500', request);
    expect(ahead.take('30:40:1500')).toBeNull();
    expect(request.cancelled()).toBe(true);
  });

  it('cancels the request of a drag passed by when the next drag ends', () => {
    const ahead = new RequestAhead<string>();
    const first = started('points of 10..20');
    const second = started('points of 12..14');
    ahead.put('10:20:1500', first);
    ahead.put('12:14:1500', second);
    expect(first.cancelled()).toBe(true);
    expect(ahead.take('12:14:1500')).toBe(second);
    expect(second.cancelled()).toBe(false);
  });

  it('has nothing for a render when no drag started a request', () => {
    expect(new RequestAhead<string>().take('10:20:1500')).toBeNull();
  });
});
