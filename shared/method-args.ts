import { methods, type MethodName } from './contract';
import { describeZodError } from './errors';
import { nestsDeeperThan } from './json-depth';

/** Re-exported so that a door loading these checks lazily gets the method names with them. */
export { isMethodName } from './contract';

/**
 * How deep arguments may nest. The schemas check values by recursion (filter trees, a view's
 * layout), so a crafted argument thousands of levels deep would overflow the stack before any
 * schema could refuse it; no real call nests half this deep.
 */
export const MAX_ARGUMENT_DEPTH = 256;

/**
 * The one argument check of the contract, used by the core and by every door so that a bad
 * call fails with the same code and wording wherever it comes in: no arguments means {}, and
 * the message names the method.
 */
export function checkMethodArgs(
  method: MethodName,
  args: unknown,
): { ok: true; data: unknown } | { ok: false; message: string } {
  if (nestsDeeperThan(args, MAX_ARGUMENT_DEPTH)) {
    return {
      ok: false,
      message: `${method}: arguments: nest deeper than ${MAX_ARGUMENT_DEPTH} levels of arrays and objects`,
    };
  }
  const parsed = methods[method].args.safeParse(args ?? {});
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, message: `${method}: ${describeZodError(parsed.error)}` };
}
