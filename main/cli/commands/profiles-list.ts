import type { Command } from '../command-context';
import { terminalWidth } from '../command-context';
import { choiceOption, requireOperands } from '../command-line';
import { renderProfilesTable } from '../format/profiles-table';

/** Connection profiles never hold a password: listing them is safe to paste anywhere. */
export const profilesList: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const format = choiceOption(line, 'format', ['table', 'json'] as const, 'table');
  const profiles = await core().listProfiles({});
  if (format === 'json') io.stdout.write(`${JSON.stringify(profiles, null, 2)}\n`);
  else if (profiles.length === 0)
    io.stdout.write(
      'No connection profiles. "altar-viewer sources add NAME --mongo URI" makes one.\n',
    );
  else io.stdout.write(renderProfilesTable(profiles, terminalWidth(io)));
  return 0;
};
