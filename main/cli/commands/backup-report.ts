import { formatByteSize } from '../../../shared/byte-size';
import type { BackupHooks, BackupProgress } from '../../core/backup/backup-service';
import type { ImportSummary } from '../../core/backup/mongo-importer';
import type { CliIo } from '../cli-io';
import type { CommandContext } from '../command-context';

/** At most one progress line per stage every this many ms (a terminal or a log alike). */
const PROGRESS_EVERY_MS = 1000;

/** Progress of export, import and copy on stderr: a line when a phase starts, then now and then. */
export function progressPrinter(io: CliIo): (progress: BackupProgress) => void {
  let phase = '';
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (progress.phase === 'done') return;
    if (progress.phase === phase && now - last < PROGRESS_EVERY_MS) return;
    phase = progress.phase;
    last = now;
    const count =
      progress.total === null ? `${progress.done}` : `${progress.done}/${progress.total}`;
    const bytes =
      progress.bytesTotal === null
        ? formatByteSize(progress.bytesDone)
        : `${formatByteSize(progress.bytesDone)} of ${formatByteSize(progress.bytesTotal)}`;
    const run = progress.currentRun === undefined ? '' : `, run ${progress.currentRun}`;
    io.stderr.write(`${progress.phase}: ${count} (${bytes}${run})\n`);
  };
}

/** What an import or copy did, the old → new table of renamed runs included. */
export function writeImportSummary(io: CliIo, target: string, summary: ImportSummary): void {
  io.stdout.write(
    `${target}: ${summary.runsAdded} runs added, ${summary.runsPresent} already there; ` +
      `${summary.metricsAdded} metrics, ${summary.filesAdded} files` +
      (summary.omniboardAdded > 0 ? `, ${summary.omniboardAdded} Omniboard settings/columns` : '') +
      (summary.rawDataFiles === undefined ? '' : `, ${summary.rawDataFiles} raw data files`) +
      '\n',
  );
  if (summary.renamed.length > 0) {
    io.stdout.write(`Runs whose id was taken (kept in each run's info.altar_import):\n`);
    const width = Math.max(3, ...summary.renamed.map((row) => row.from.length));
    io.stdout.write(`${'OLD'.padEnd(width)}  NEW\n`);
    for (const row of summary.renamed) io.stdout.write(`${row.from.padEnd(width)}  ${row.to}\n`);
  }
  writeOmitted(io, summary.omitted);
}

export function writeOmitted(io: CliIo, omitted: readonly string[]): void {
  if (omitted.length === 0) return;
  io.stderr.write(`Not included (${omitted.length}):\n`);
  for (const line of omitted) io.stderr.write(`  ${line}\n`);
}

/** Reads what was written into a source, so the app and `runs` show it; a failure only warns. */
export async function syncAfterWrite(context: CommandContext, source: string): Promise<void> {
  try {
    await context.core().syncSources({ names: [source] });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.io.stderr.write(
      `warning: the runs were written but "${source}" could not be synced: ${message}\n`,
    );
  }
}

/** Ctrl+C stops between documents; what was written stays and a new run resumes it. */
export function interruptSignal(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  return { signal: controller.signal, release: () => process.off('SIGINT', stop) };
}

/**
 * An import or a copy into `target` as the user sees it: progress on stderr, Ctrl+C stops,
 * the summary (old -> new ids) on stdout, then a sync so that the new runs show.
 */
export async function writeRunsInto(
  context: CommandContext,
  target: string,
  work: (hooks: BackupHooks) => Promise<ImportSummary>,
): Promise<number> {
  const { signal, release } = interruptSignal();
  try {
    writeImportSummary(
      context.io,
      target,
      await work({ onProgress: progressPrinter(context.io), signal }),
    );
  } finally {
    release();
  }
  await syncAfterWrite(context, target);
  return 0;
}
