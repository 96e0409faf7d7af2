import type * as MethodArgsModule from '../../shared/method-args';
import { AltarError } from '../../shared/errors';

type ContractChecks = typeof MethodArgsModule;

/**
 * The contract's argument checks, loaded on first use. They are zod and every method's schema
 * (shared/contract.ts and the files it spreads): on this machine their loading is a large part
 * of `serve`'s start (issue 13), and nothing before the URL is printed needs them. The doors and
 * the core await loadContractChecks() before a call's arguments are checked, so every call is
 * checked exactly as before; only the moment zod loads moved.
 */
let loaded: ContractChecks | null = null;
let loading: Promise<ContractChecks> | null = null;

export function loadContractChecks(): Promise<ContractChecks> {
  loading ??= import('../../shared/method-args').then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}

/** The checks once loadContractChecks() resolved; a call that came in earlier is a bug. */
export function contractChecks(): ContractChecks {
  if (loaded === null) {
    throw new AltarError('INTERNAL', 'The contract checks were used before they were loaded.');
  }
  return loaded;
}

export function contractChecksLoaded(): boolean {
  return loaded !== null;
}

/**
 * Makes each named method of `target` wait for the contract checks before it runs (one
 * already-resolved check after the first call). For objects whose methods check their
 * arguments synchronously with contractChecks(): the core's methods, called directly by the CLI,
 * tests and the doors.
 */
export function awaitingContractChecks<T extends object>(target: T, names: readonly string[]): T {
  const methods = target as Record<string, unknown>;
  for (const name of names) {
    const method = methods[name];
    if (typeof method !== 'function') continue;
    const run = method as (this: T, args: unknown) => Promise<unknown>;
    methods[name] = async function (this: T, args: unknown): Promise<unknown> {
      if (loaded === null) await loadContractChecks();
      return run.call(this, args);
    };
  }
  return target;
}
