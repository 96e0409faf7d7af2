import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { stringOption } from '../command-line';
import { writeRunsInto } from './backup-report';

/** `copy --from SOURCE --to SOURCE [--where EXPR]`: runs with everything of them, idempotent. */
export const copyCommand: Command = async (context) => {
  const { line, core } = context;
  const from = stringOption(line, 'from');
  const to = stringOption(line, 'to');
  if (from === undefined || from === '' || to === undefined || to === '') {
    throw new UsageError("'copy' needs --from SOURCE and --to SOURCE");
  }
  const where = stringOption(line, 'where');
  return writeRunsInto(context, to, (hooks) =>
    core().backup.copyRuns({ from, to, ...(where === undefined ? {} : { where }) }, hooks),
  );
};
