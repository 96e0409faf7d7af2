import { describe, expect, it } from 'vitest';
import { settledWithin } from '../../main/core/settled-within';

describe('settledWithin', () => {
  it('is true once every promise settled, failures included', async () => {
    const failed = Promise.reject(new Error('lost'));
    await expect(settledWithin([Promise.resolve(1), failed], 10_000)).resolves.toBe(true);
  });

  it('is false when one never settles, and does not wait for it', async () => {
    const never = new Promise<void>(() => undefined);
    await expect(settledWithin([Promise.resolve(), never], 20)).resolves.toBe(false);
  });

  it('is true at once for no promises', async () => {
    await expect(settledWithin([], 10_000)).resolves.toBe(true);
  });
});
