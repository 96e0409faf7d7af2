import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isAltarError } from '../../../shared/errors';
import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';
import { addMongoSource } from './sources-add-mongo';

const mongoOnly = ['db', 'prefix', 'timeout-ms', 'new'] as const;

export const sourcesAdd: Command = async (context) => {
  const { line, io, core } = context;
  const [name] = requireOperands(line, ['NAME']);
  const folder = stringOption(line, 'folder');
  const mongo = stringOption(line, 'mongo');
  if (folder !== undefined && mongo !== undefined) {
    throw new UsageError("'sources add' takes --folder or --mongo, not both");
  }
  if (mongo !== undefined) return addMongoSource(context, name as string, mongo);
  const misplaced = mongoOnly.find((option) => line.options[option] !== undefined);
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} goes with --mongo URI`);
  if (folder === undefined || folder === '')
    throw new UsageError("'sources add' needs --folder PATH or --mongo URI");
  const path = resolve(folder);
  // Checked here, not only in the core, because a mistyped path is a usage error (exit 2).
  const info = await stat(path).catch(() => null);
  if (info === null) throw new UsageError(`the folder ${path} does not exist`);
  if (!info.isDirectory()) throw new UsageError(`${path} is a file, not a folder of Sacred runs`);
  const source = await core()
    .addFolderSource({ name: name as string, path })
    .catch((error: unknown) => {
      // The app's dialog offers a button for this; the CLI names the command to type instead.
      if (isAltarError(error) && error.parentFolder !== undefined) {
        throw new UsageError(
          `${path} is one run's folder; add its parent folder: --folder ${error.parentFolder}`,
        );
      }
      throw error;
    });
  io.stdout.write(
    `Added source "${source.name}" (${source.location}). Run "altar-viewer sync ${source.name}" to read its runs.\n`,
  );
  return 0;
};
