import type { Envelope } from '../../shared/client-api';
import { isAltarError, toErrorPayload } from '../../shared/errors';
import { maskUrlCredentials } from '../../shared/url-credentials';
import type { ErrorCode, ErrorPayload } from '../../shared/errors';
import { loadContractChecks } from '../core/contract-checks';
import type { CoreService } from '../core/core-service';
import { doorRestriction } from './door-restrictions';

type AnyMethod = (args: unknown) => Promise<unknown>;

export function errorEnvelope(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

export interface DispatchOutcome {
  envelope: Envelope<unknown>;
  /**
   * The door refused the request before the core saw it (unknown method, arguments outside
   * the contract, a method this door does not offer): a fault of the caller's protocol, not
   * the answer to what a user asked.
   */
  refusedByDoor: boolean;
}

/**
 * The one place where a door turns a method name and untrusted arguments into a core call.
 * Arguments are checked against the contract before the core sees them, so a renderer (or a
 * page talking to the HTTP host) can never reach core code with a shape the contract forbids.
 */
export async function dispatchCall(
  core: CoreService,
  method: unknown,
  args: unknown,
): Promise<DispatchOutcome> {
  const refused = (envelope: Envelope<never>): DispatchOutcome => ({
    envelope,
    refusedByDoor: true,
  });
  // zod and the schemas load on the first call, not before `serve` prints its URL.
  const { isMethodName, checkMethodArgs } = await loadContractChecks();
  if (!isMethodName(method)) {
    return refused(errorEnvelope('UNKNOWN_METHOD', `unknown method ${describeMethod(method)}`));
  }
  const parsed = checkMethodArgs(method, args);
  if (!parsed.ok) return refused(errorEnvelope('INVALID_ARGUMENT', parsed.message));
  const restriction = doorRestriction(method, parsed.data);
  if (restriction !== null) return refused(errorEnvelope('FORBIDDEN', restriction));
  try {
    const fn = core[method] as AnyMethod;
    const result = await fn.call(core, parsed.data);
    return { envelope: { ok: true, result }, refusedByDoor: false };
  } catch (error) {
    return { envelope: { ok: false, error: payloadFor(error) }, refusedByDoor: false };
  }
}

/** dispatchCall's envelope: what every door sends back, success or error alike. */
export async function dispatch(
  core: CoreService,
  method: unknown,
  args: unknown,
): Promise<Envelope<unknown>> {
  return (await dispatchCall(core, method, args)).envelope;
}

function payloadFor(error: unknown): ErrorPayload {
  const payload = toErrorPayload(error);
  // An unexpected failure is a bug: keep its stack in the main process log, never on the wire.
  if (!isAltarError(error) && payload.code === 'INTERNAL')
    console.error('altar-viewer: internal error', loggable(error));
  return payload;
}

/** An error for the log: its stack, with any URL password masked (logs are read by others). */
export function loggable(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return maskUrlCredentials(text);
}

function describeMethod(method: unknown): string {
  if (typeof method === 'string') return JSON.stringify(method.slice(0, 100));
  return `(${typeof method})`;
}
