import type { z } from 'zod';
import type { methods, MethodName, MethodResult } from '../../shared/contract';
import type { AltarApi } from '../../shared/contract';

type ParsedArgs<M extends MethodName> = z.output<(typeof methods)[M]['args']>;

/** A service's implementation of some contract methods, taking arguments already checked. */
export type ServiceMethods<M extends MethodName> = {
  [K in M]: (args: ParsedArgs<K>) => Promise<MethodResult<K>>;
};

/**
 * The contract methods of a service as the core offers them: each call's arguments checked by
 * `parse` (the core's one check, which also refuses calls after close) before the service sees
 * them. Lets the core compose a service with one line instead of one line per method.
 */
export function parsedMethods<M extends MethodName>(
  names: readonly M[],
  service: ServiceMethods<M>,
  parse: <N extends MethodName>(method: N, args: unknown) => ParsedArgs<N>,
): Pick<AltarApi, M> {
  const bound: Partial<Record<M, (args: unknown) => Promise<unknown>>> = {};
  for (const name of names) {
    const method = service[name] as (args: unknown) => Promise<unknown>;
    bound[name] = async (args: unknown) => method.call(service, parse(name, args));
  }
  return bound as unknown as Pick<AltarApi, M>;
}
