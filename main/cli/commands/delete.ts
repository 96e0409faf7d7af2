import { CliFailure, UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';

/**
 * `delete RUN... --source S [--yes]`: without --yes, says what would be deleted and exits 2
 * (nothing is touched); with it, deletes (MongoDB) or moves to the trash (folders). A
 * read-only or unreachable source exits 1.
 */
export const deleteRuns: Command = async ({ line, io, core }) => {
  const ids = requireOperands(line, ['RUN'], true);
  const source = stringOption(line, 'source');
  if (source === undefined || source === '') {
    throw new UsageError("'delete' needs --source NAME");
  }
  const altar = core();
  const preview = await altar.previewDeleteRuns({ source, ids });
  if (preview.missing.length > 0) {
    throw new UsageError(
      `source "${source}" has no run ${preview.missing.map((id) => `"${id}"`).join(', ')} ` +
        '(sync it first?)',
    );
  }
  if (preview.refusal !== null) throw new CliFailure(preview.refusal, 1);
  if (line.options.yes !== true) {
    io.stdout.write(`${preview.message}\n`);
    io.stderr.write('Nothing was deleted: run again with --yes to delete.\n');
    return 2;
  }
  const done = await altar.deleteRuns({ source, ids });
  io.stdout.write(`${done.message}\n`);
  return 0;
};
