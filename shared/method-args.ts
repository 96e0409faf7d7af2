import { methods, type MethodName } from './contract';
import { describeZodError } from './errors';

/**
 * The one argument check of the contract, used by the core and by every door so that a bad
 * call fails with the same code and wording wherever it comes in: no arguments means {}, and
 * the message names the method.
 */
export function checkMethodArgs(
  method: MethodName,
  args: unknown,
): { ok: true; data: unknown } | { ok: false; message: string } {
  const parsed = methods[method].args.safeParse(args ?? {});
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, message: `${method}: ${describeZodError(parsed.error)}` };
}
