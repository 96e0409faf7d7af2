import type { Command } from '../command-context';
import { requireOperands } from '../command-line';
import { requireSource, stateNote } from './tag';

/**
 * `note RUN --source NAME --text TEXT`: sets the run's notes (Omniboard's `omniboard.notes`);
 * an empty TEXT clears them. Without --text it prints them. A read-only source fails with
 * exit 1 and says how to turn writes on.
 */
export const note: Command = async ({ line, io, core }) => {
  const [id = ''] = requireOperands(line, ['RUN']);
  const source = requireSource(line.options.source);
  const text = line.options.text;
  if (typeof text !== 'string') {
    const run = await core().getRun({ source, id });
    io.stdout.write(run.comment === null ? `Run ${id} has no notes.\n` : `${run.comment}\n`);
    return 0;
  }
  const edit = await core().setNotes({ source, id, notes: text });
  io.stdout.write(
    `${edit.notes === '' ? `Run ${id}: notes cleared` : `Run ${id}: notes saved`}${stateNote(edit)}\n`,
  );
  return 0;
};
