import type { Command } from '../command-context';
import { terminalWidth } from '../command-context';
import { choiceOption, integerOption, requireOperands, stringOption } from '../command-line';
import { renderRunsCsv } from '../format/runs-csv';
import { renderRunsTable } from '../format/runs-table';
import { runQuery, wantsRunQuery } from './runs-query';

export const runs: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const format = choiceOption(line, 'format', ['table', 'json', 'csv'] as const, 'table');
  const limit = integerOption(line, 'limit', 1, 1_000_000);
  const source = stringOption(line, 'source');
  if (wantsRunQuery(line)) return runQuery(line, io, core, format, limit, source);
  const page = await core().listRuns({
    ...(source !== undefined ? { source } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  if (format === 'json') io.stdout.write(`${JSON.stringify(page.runs, null, 2)}\n`);
  else if (format === 'csv') io.stdout.write(renderRunsCsv(page.runs));
  else if (page.runs.length === 0)
    io.stdout.write('No runs. Add a source and run "altar-viewer sync".\n');
  else {
    io.stdout.write(renderRunsTable(page.runs, terminalWidth(io)));
    if (page.total > page.runs.length) {
      io.stdout.write(`(${page.runs.length} of ${page.total} runs; use --limit to see more)\n`);
    }
  }
  return 0;
};
