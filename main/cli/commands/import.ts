import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';
import { writeRunsInto } from './backup-report';

/**
 * `import DIR --to SOURCE [--db NAME] [--raw-data [--bucket NAME]]`: restores a mongodump folder
 * (ours or mongodump's); with --raw-data, DIR/raw_data goes to the target source's storage
 * (into --bucket, else each object's own bucket) and the runs name where it went.
 */
export const importCommand: Command = async (context) => {
  const { line, core } = context;
  const [from = ''] = requireOperands(line, ['DIR']);
  const to = stringOption(line, 'to');
  if (to === undefined || to === '') throw new UsageError("'import' needs --to SOURCE");
  const database = stringOption(line, 'db');
  const rawData = line.options['raw-data'] === true;
  const bucket = stringOption(line, 'bucket');
  if (bucket !== undefined && !rawData) throw new UsageError('--bucket goes with --raw-data');
  if (bucket === '') throw new UsageError('--bucket needs a bucket name');
  return writeRunsInto(context, to, (hooks) =>
    core().backup.importDump(
      {
        from,
        to,
        ...(database === undefined ? {} : { database }),
        ...(rawData ? { rawData } : {}),
        ...(bucket === undefined ? {} : { bucket }),
      },
      hooks,
    ),
  );
};
