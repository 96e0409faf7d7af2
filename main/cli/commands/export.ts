import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';
import { interruptSignal, progressPrinter, writeOmitted } from './backup-report';

/** `export SOURCE --to DIR [--where EXPR] [--gzip]`: a source's runs in mongodump's layout. */
export const exportCommand: Command = async ({ line, io, core }) => {
  const [source = ''] = requireOperands(line, ['SOURCE']);
  const to = stringOption(line, 'to');
  if (to === undefined || to === '') throw new UsageError("'export' needs --to DIR");
  const where = stringOption(line, 'where');
  const { signal, release } = interruptSignal();
  try {
    const summary = await core().backup.exportSource(
      { source, to, gzip: line.options.gzip === true, ...(where === undefined ? {} : { where }) },
      { onProgress: progressPrinter(io), signal },
    );
    io.stdout.write(`${summary.folder}: ${summary.runs} runs\n`);
    for (const collection of summary.collections) {
      io.stdout.write(
        `  ${collection.name}: ${collection.documents} documents, ${collection.bytes} bytes\n`,
      );
    }
    writeOmitted(io, summary.omitted);
    io.stdout.write(
      `Restore with: mongorestore${line.options.gzip === true ? ' --gzip' : ''} --db DB ${summary.folder}\n`,
    );
    return 0;
  } finally {
    release();
  }
};
