import type { Command } from '../command-context';
import { terminalWidth } from '../command-context';
import { choiceOption, requireOperands } from '../command-line';
import { renderSourcesTable } from '../format/sources-table';

export const sourcesList: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const format = choiceOption(line, 'format', ['table', 'json'] as const, 'table');
  const sources = await core().listSources({});
  if (format === 'json') io.stdout.write(`${JSON.stringify(sources, null, 2)}\n`);
  else if (sources.length === 0)
    io.stdout.write(
      'No sources yet. Add one with "altar-viewer sources add NAME --folder PATH" (or --mongo URI).\n',
    );
  else io.stdout.write(renderSourcesTable(sources, terminalWidth(io)));
  return 0;
};
