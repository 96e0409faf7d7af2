import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';
import { formatByteSize } from '../../../shared/byte-size';
import { interruptSignal, progressPrinter, writeOmitted } from './backup-report';

/**
 * `export SOURCE --to DIR [--where EXPR] [--gzip] [--raw-data [--dry-run]]`: a source's runs in
 * mongodump's layout; with --raw-data also their MinIO objects under DIR/raw_data/<bucket>/<key>,
 * whose count and size are printed before anything is written (--dry-run: only that).
 */
export const exportCommand: Command = async ({ line, io, core }) => {
  const [source = ''] = requireOperands(line, ['SOURCE']);
  const to = stringOption(line, 'to');
  const rawData = line.options['raw-data'] === true;
  const dryRun = line.options['dry-run'] === true;
  if (dryRun && !rawData) throw new UsageError('--dry-run goes with --raw-data');
  if (!dryRun && (to === undefined || to === '')) throw new UsageError("'export' needs --to DIR");
  const where = stringOption(line, 'where');
  const which = where === undefined ? {} : { where };
  const { signal, release } = interruptSignal();
  try {
    if (rawData) {
      const estimate = await core().backup.estimateRawData({ source, ...which }, { signal });
      io.stdout.write(
        `Raw data: ${estimate.objects} objects, ${formatByteSize(estimate.bytes)} ` +
          `(${estimate.bytes} bytes)\n`,
      );
      writeOmitted(io, estimate.missing);
      if (dryRun) return 0;
    }
    const summary = await core().backup.exportSource(
      { source, to: to ?? '', gzip: line.options.gzip === true, rawData, ...which },
      { onProgress: progressPrinter(io), signal },
    );
    io.stdout.write(`${summary.folder}: ${summary.runs} runs\n`);
    for (const collection of summary.collections) {
      io.stdout.write(
        `  ${collection.name}: ${collection.documents} documents, ${collection.bytes} bytes\n`,
      );
    }
    if (rawData) {
      io.stdout.write(`  raw_data: ${summary.rawDataFiles} files, ${summary.rawDataBytes} bytes\n`);
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
