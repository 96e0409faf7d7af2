import type { z } from 'zod';
import type { RunDetail } from '../../../shared/contract';
import type { runsMethods } from '../../../shared/contract/runs-methods';
import { isAltarError } from '../../../shared/errors';

type GetRunsArgs = z.output<(typeof runsMethods)['getRuns']['args']>;
type GetRunsResult = z.output<(typeof runsMethods)['getRuns']['result']>;

export interface RunsBatchServiceDeps {
  /** The core's argument check (the contract's schema; refuses calls once the core is closed). */
  parse: (method: 'getRuns', args: unknown) => GetRunsArgs;
  /** What getRun answers for one run; throws getRun's NOT_FOUND for an unknown source or run. */
  runDetail: (source: string, id: string) => RunDetail;
}

/**
 * getRuns (shared/contract/runs-methods.ts): each run read exactly as getRun reads it; a run
 * that getRun would refuse carries that error in its place and the others still answer.
 * Arguments outside the contract refuse the whole batch.
 */
export function createRunsBatchService({ parse, runDetail }: RunsBatchServiceDeps) {
  return {
    async getRuns(args: unknown): Promise<GetRunsResult> {
      const { runs } = parse('getRuns', args);
      return {
        runs: runs.map(({ source, id }) => {
          try {
            return runDetail(source, id);
          } catch (error) {
            // A bug is not a run's answer: it fails the call as it would fail getRun.
            if (!isAltarError(error)) throw error;
            return { error: error.toPayload() };
          }
        }),
      };
    },
  };
}
