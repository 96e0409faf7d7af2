import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';
import { writeRunsInto } from './backup-report';

/** `import DIR --to SOURCE [--db NAME]`: restores a mongodump folder (ours or mongodump's). */
export const importCommand: Command = async (context) => {
  const { line, core } = context;
  const [from = ''] = requireOperands(line, ['DIR']);
  const to = stringOption(line, 'to');
  if (to === undefined || to === '') throw new UsageError("'import' needs --to SOURCE");
  const database = stringOption(line, 'db');
  return writeRunsInto(context, to, (hooks) =>
    core().backup.importDump({ from, to, ...(database === undefined ? {} : { database }) }, hooks),
  );
};
