import type { Command } from '../command-context';
import { integerOption, requireOperands } from '../command-line';
import { showSyncProgress } from '../sync-progress-bar';

export const demo: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const runs = integerOption(line, 'runs', 1, 100_000);
  const altar = core();
  const hideProgress = showSyncProgress(altar, io.stderr);
  try {
    const source = await altar.createDemo(runs === undefined ? {} : { runs });
    io.stdout.write(`Demo runs written to ${source.location}\n`);
    io.stdout.write(
      `${source.name}: ${source.runCount} runs (${source.unreadableCount} unreadable). ` +
        `Try "altar-viewer runs --source ${source.name}" or "altar-viewer serve".\n`,
    );
  } finally {
    hideProgress();
  }
  return 0;
};
