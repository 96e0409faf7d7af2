import type { Command } from '../command-context';
import { requireOperands } from '../command-line';

export const sourcesRemove: Command = async ({ line, io, core }) => {
  const [name] = requireOperands(line, ['NAME']);
  await core().removeSource({ name: name as string });
  io.stdout.write(`Removed source "${name as string}" (its folder was not touched).\n`);
  return 0;
};
