import { describe, expect, it, vi } from 'vitest';
import { createOperationRunner } from '../../renderer/src/model/operation-runner';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function ids() {
  let n = 0;
  return () => `op-${++n}`;
}

describe('createOperationRunner', () => {
  it('passes a fresh operation id to each call and reports its answer', async () => {
    const cancel = vi.fn(async () => ({ cancelled: true }));
    const busy: boolean[] = [];
    const runner = createOperationRunner(cancel, (b) => busy.push(b), ids());
    const seen: string[] = [];
    const outcome = await runner.run(async (id) => {
      seen.push(id);
      return 'MongoDB 7.0.0';
    });
    expect(outcome).toEqual({ status: 'done', value: 'MongoDB 7.0.0' });
    expect(seen).toEqual(['op-1']);
    expect(busy).toEqual([true, false]);
    expect(cancel).not.toHaveBeenCalled();
  });

  it('reports a failure with its error', async () => {
    const runner = createOperationRunner(async () => ({}), undefined, ids());
    const error = new Error('Authentication failed for alice');
    expect(await runner.run(() => Promise.reject(error))).toEqual({ status: 'failed', error });
    expect(runner.busy).toBe(false);
  });

  it('cancel asks the core to abort that id and turns the late answer stale', async () => {
    const cancel = vi.fn(async (_id: string) => ({ cancelled: true }));
    const runner = createOperationRunner(cancel, undefined, ids());
    const reply = deferred<string>();
    const pending = runner.run(() => reply.promise);
    expect(runner.busy).toBe(true);
    runner.cancel();
    expect(cancel).toHaveBeenCalledWith('op-1');
    expect(runner.busy).toBe(false);
    reply.reject(new Error('CANCELLED'));
    expect(await pending).toEqual({ status: 'stale' });
  });

  it('a new run cancels the one in flight, whose answer never wins', async () => {
    const cancel = vi.fn(async (_id: string) => ({ cancelled: true }));
    const runner = createOperationRunner(cancel, undefined, ids());
    const first = deferred<string>();
    const firstOutcome = runner.run(() => first.promise);
    const secondOutcome = runner.run(async () => 'second');
    expect(cancel).toHaveBeenCalledWith('op-1');
    first.resolve('first');
    expect(await firstOutcome).toEqual({ status: 'stale' });
    expect(await secondOutcome).toEqual({ status: 'done', value: 'second' });
  });

  it('cancel with nothing in flight does nothing, and a failing cancel is not thrown', async () => {
    const cancel = vi.fn(() => Promise.reject(new Error('server gone')));
    const runner = createOperationRunner(cancel, undefined, ids());
    runner.cancel();
    expect(cancel).not.toHaveBeenCalled();
    const reply = deferred<string>();
    const pending = runner.run(() => reply.promise);
    runner.cancel();
    expect(cancel).toHaveBeenCalledTimes(1);
    reply.resolve('late');
    expect(await pending).toEqual({ status: 'stale' });
  });
});
