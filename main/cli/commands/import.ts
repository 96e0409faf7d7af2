import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';
import {
  interruptSignal,
  progressPrinter,
  syncAfterWrite,
  writeImportSummary,
} from './backup-report';

/** `import DIR --to SOURCE [--db NAME]`: restores a mongodump folder (ours or mongodump's). */
export const importCommand: Command = async (context) => {
  const { line, io, core } = context;
  const [from = ''] = requireOperands(line, ['DIR']);
  const to = stringOption(line, 'to');
  if (to === undefined || to === '') throw new UsageError("'import' needs --to SOURCE");
  const database = stringOption(line, 'db');
  const { signal, release } = interruptSignal();
  try {
    const summary = await core().backup.importDump(
      { from, to, ...(database === undefined ? {} : { database }) },
      { onProgress: progressPrinter(io), signal },
    );
    writeImportSummary(io, to, summary);
  } finally {
    release();
  }
  await syncAfterWrite(context, to);
  return 0;
};
