import { resolve } from 'node:path';
import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands } from '../command-line';

/**
 * `sources set NAME --trust DIR ... --untrust DIR ...`: the folders besides the source's own
 * whose files its runs may name (sources stored next to the observer folder with
 * copy_sources=False, artifacts on another disk). Prints the folders the source now trusts.
 */
export const sourcesSet: Command = async ({ line, io, core }) => {
  const [name = ''] = requireOperands(line, ['NAME']);
  const add = listOption(line.options.trust).map((dir) => resolve(dir));
  const remove = listOption(line.options.untrust).map((dir) => resolve(dir));
  if (add.length === 0 && remove.length === 0) {
    throw new UsageError("'sources set' needs --trust DIR or --untrust DIR");
  }
  const source = await core().updateTrustedFolders({ source: name, add, remove });
  if (source.trustedFolders.length === 0) {
    io.stdout.write(`Source "${name}" trusts no folder besides its own.\n`);
  } else {
    io.stdout.write(`Source "${name}" may also read files in:\n`);
    for (const folder of source.trustedFolders) io.stdout.write(`  ${folder}\n`);
  }
  io.stdout.write('Runs that named files there are read again at the next sync.\n');
  return 0;
};

function listOption(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
