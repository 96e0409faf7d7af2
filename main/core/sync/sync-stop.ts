import { AltarError } from '../../../shared/errors';

/**
 * The error of a sync stopped between two runs: by the user (CANCELLED, and the source's
 * lastError says "cancelled") or because the core is closing.
 */
export function stoppedError(source: string, cancelled: boolean): AltarError {
  return cancelled
    ? new AltarError(
        'CANCELLED',
        `The sync of "${source}" was cancelled; the runs read before are kept.`,
      )
    : new AltarError('INTERNAL', `The sync of "${source}" was stopped before it finished.`);
}
