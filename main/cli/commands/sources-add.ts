import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';

export const sourcesAdd: Command = async ({ line, io, core }) => {
  const [name] = requireOperands(line, ['NAME']);
  const folder = stringOption(line, 'folder');
  if (folder === undefined || folder === '')
    throw new UsageError("'sources add' needs --folder PATH");
  const path = resolve(folder);
  // Checked here, not only in the core, because a mistyped path is a usage error (exit 2).
  const info = await stat(path).catch(() => null);
  if (info === null) throw new UsageError(`the folder ${path} does not exist`);
  if (!info.isDirectory()) throw new UsageError(`${path} is a file, not a folder of Sacred runs`);
  const source = await core().addFolderSource({ name: name as string, path });
  io.stdout.write(
    `Added source "${source.name}" (${source.location}). Run "altar-viewer sync ${source.name}" to read its runs.\n`,
  );
  return 0;
};
