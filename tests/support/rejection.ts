import { expect } from 'vitest';
import { AltarError } from '../../shared/errors';

/**
 * The error a promise rejects with, checked to be of `type` (the contract's AltarError by
 * default); the test fails when the promise resolves instead.
 */
export async function rejection<E extends Error = AltarError>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E = AltarError as unknown as abstract new (
    ...args: never[]
  ) => E,
): Promise<E> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
