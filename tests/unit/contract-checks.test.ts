// zod and the contract's schemas load on the first call (not before `serve` prints its URL):
// a method wrapped by awaitingContractChecks runs only once they are in, and every argument is
// still checked, with the same errors, whether the call is the first or a later one.
import { z } from 'zod';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ContractChecksModule from '../../main/core/contract-checks';
import { toErrorPayload } from '../../shared/errors';

let checks: typeof ContractChecksModule;

beforeEach(async () => {
  // A fresh module: nothing loaded yet, as in a process that has just started.
  vi.resetModules();
  checks = await import('../../main/core/contract-checks');
});

describe('the contract checks load on first use', () => {
  it('refuses to check anything before they are loaded (a call that skipped the wait)', () => {
    expect(checks.contractChecksLoaded()).toBe(false);
    expect(() => checks.contractChecks()).toThrow(/before they were loaded/u);
  });

  it('lets a wrapped method check its arguments on its very first call', async () => {
    const target = {
      async listSources(args: unknown): Promise<unknown> {
        const checked = checks.contractChecks().checkMethodArgs('listSources', args);
        return checked.ok ? 'listed' : checked.message;
      },
      notAMethodName: 1,
    };
    checks.awaitingContractChecks(target, ['listSources', 'notAMethodName', 'missing']);
    expect(await target.listSources({})).toBe('listed');
    expect(checks.contractChecksLoaded()).toBe(true);
    expect(await target.listSources({ extra: 1 })).toMatch(/^listSources: /u);
    expect(target.notAMethodName).toBe(1);
  });

  it('passes `this` and the arguments through, and a rejection stays a rejection', async () => {
    const target = {
      prefix: 'got',
      async getRun(this: { prefix: string }, args: unknown): Promise<string> {
        if (args === null) throw new Error('no arguments');
        return `${this.prefix} ${JSON.stringify(args)}`;
      },
    };
    checks.awaitingContractChecks(target, ['getRun']);
    expect(await target.getRun({ id: 'a' })).toBe('got {"id":"a"}');
    await expect(target.getRun(null)).rejects.toThrow('no arguments');
  });

  it('loads them once, however many calls wait at the same time', async () => {
    const [a, b] = await Promise.all([checks.loadContractChecks(), checks.loadContractChecks()]);
    expect(a).toBe(b);
    expect(a.isMethodName('queryRuns')).toBe(true);
    expect(a.isMethodName('toString')).toBe(false);
  });
});

describe('a zod error is told apart without loading zod in shared/errors.ts', () => {
  it('turns a schema failure into INVALID_ARGUMENT with the failing paths', () => {
    const failed = z.object({ limit: z.number() }).safeParse({ limit: 'x' });
    expect(failed.success).toBe(false);
    expect(toErrorPayload(failed.error)).toEqual({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^limit: /u) as unknown as string,
    });
  });

  it('keeps other errors INTERNAL, even one that calls itself ZodError', () => {
    const impostor = Object.assign(new Error('x'), { name: 'ZodError', issues: [] });
    expect(toErrorPayload(impostor).code).toBe('INTERNAL');
    expect(toErrorPayload({ _zod: { traits: ['ZodError'] } }).code).toBe('INTERNAL');
    expect(toErrorPayload(null).code).toBe('INTERNAL');
  });
});
