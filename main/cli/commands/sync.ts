import type { SourceInfo, SyncSummary } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import { describeFailure } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands } from '../command-line';
import { withoutSecrets } from '../known-secrets';
import { showSyncProgress } from '../sync-progress-bar';

export function syncSummaryLine(summary: SyncSummary, source: SourceInfo | undefined): string {
  const runs = source?.runCount ?? summary.added + summary.updated + summary.unchanged;
  return (
    `${summary.source}: ${runs} runs (${summary.added} added, ${summary.updated} updated, ` +
    `${summary.removed} removed, ${summary.unreadable} unreadable), ${summary.points} points, ` +
    `${summary.seconds.toFixed(1)} s\n`
  );
}

/** Syncs one source at a time so each gets its line, and one failure does not hide the others. */
export const sync: Command = async ({ line, io, core }) => {
  const requested = requireOperands(line, [], true);
  const altar = core();
  const known = await altar.listSources({});
  const names = requested.length > 0 ? [...new Set(requested)] : known.map((source) => source.name);
  for (const name of names) {
    if (!known.some((source) => source.name === name)) {
      throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    }
  }
  if (names.length === 0) {
    io.stdout.write(
      'No sources to sync. Add one with "altar-viewer sources add NAME --folder PATH" (or --mongo URI).\n',
    );
    return 0;
  }
  let exitCode = 0;
  const hideProgress = showSyncProgress(altar, io.stderr);
  try {
    for (const name of names) {
      try {
        const [summary] = await altar.syncSources({ names: [name] });
        if (summary === undefined) continue;
        const after = await altar.listSources({});
        io.stdout.write(
          syncSummaryLine(
            summary,
            after.find((source) => source.name === name),
          ),
        );
      } catch (error) {
        const failure = describeFailure(error);
        const text = failure.line.replace(/^altar-viewer: /u, `altar-viewer: ${name}: `);
        io.stderr.write(`${withoutSecrets(text, [], io.env)}\n`);
        exitCode = Math.max(exitCode, 1);
      }
    }
  } finally {
    hideProgress();
  }
  return exitCode;
};
