import { describe, expect, it } from 'vitest';
import { OneRequestAtATime } from '../../renderer/src/model/one-request-at-a-time';

/** A request the test settles by hand. */
function pending(): { promise: Promise<string>; resolve: () => void; reject: () => void } {
  let resolve = (): void => undefined;
  let reject = (): void => undefined;
  const promise = new Promise<string>((ok, fail) => {
    resolve = () => ok('done');
    reject = () => fail(new Error('server gone'));
  });
  return { promise, resolve, reject };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('one zoom request at a time, the newest wins', () => {
  it('sends at once when nothing runs', () => {
    const queue = new OneRequestAtATime();
    const sent: string[] = [];
    queue.schedule(() => {
      sent.push('a');
      return pending().promise;
    });
    expect(sent).toEqual(['a']);
  });

  it('holds a newer request until the running one is answered, and never sends one passed by', async () => {
    const queue = new OneRequestAtATime();
    const sent: string[] = [];
    const first = pending();
    queue.schedule(() => {
      sent.push('first');
      return first.promise;
    });
    const cancelSecond = queue.schedule(() => {
      sent.push('second');
      return pending().promise;
    });
    // A third zoom comes before the first is answered: the second is dropped.
    cancelSecond();
    queue.schedule(() => {
      sent.push('third');
      return pending().promise;
    });
    await flush();
    expect(sent).toEqual(['first']);
    first.resolve();
    await flush();
    expect(sent).toEqual(['first', 'third']);
  });

  it('goes on after a request that failed', async () => {
    const queue = new OneRequestAtATime();
    const sent: string[] = [];
    const failing = pending();
    queue.schedule(() => {
      sent.push('failing');
      return failing.promise;
    });
    queue.schedule(() => {
      sent.push('next');
      return Promise.resolve('ok');
    });
    failing.reject();
    await flush();
    expect(sent).toEqual(['failing', 'next']);
    // Nothing runs any more: the next one is sent at once.
    queue.schedule(() => {
      sent.push('at once');
      return Promise.resolve('ok');
    });
    expect(sent).toEqual(['failing', 'next', 'at once']);
  });
});
