import { resolve } from 'node:path';
import packageJson from '../../package.json';
import type { AltarCore } from '../core/altar-core';
import { defaultDataDir } from '../core/default-data-dir';
import { describeFailure } from './cli-errors';
import type { CliIo } from './cli-io';
import type { Command } from './command-context';
import { openCliCore } from './command-context';
import { parseCommandLine } from './command-line';
import { demo } from './commands/demo';
import { profilesList } from './commands/profiles-list';
import { runs } from './commands/runs';
import { serve } from './commands/serve';
import { sourcesAdd } from './commands/sources-add';
import { sourcesList } from './commands/sources-list';
import { sourcesRemove } from './commands/sources-remove';
import { sourcesSet } from './commands/sources-set';
import { rawData } from './commands/raw-data';
import { storageSet } from './commands/storage-set';
import { storageShow } from './commands/storage-show';
import { sync } from './commands/sync';
import { helpText } from './help-text';
import { withoutSecrets } from './known-secrets';

const commands: Record<string, Command> = {
  serve,
  'sources add': sourcesAdd,
  'sources list': sourcesList,
  'sources remove': sourcesRemove,
  'sources set': sourcesSet,
  sync,
  runs,
  demo,
  'profiles list': profilesList,
  'storage set': storageSet,
  'storage show': storageShow,
  'raw-data': rawData,
};

/** --data-dir, then ALTAR_DATA_DIR, then the desktop app's own data folder. */
export function resolveDataDir(flag: string | undefined, env: CliIo['env']): string {
  if (flag !== undefined && flag !== '') return resolve(flag);
  const fromEnv = env.ALTAR_DATA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return defaultDataDir();
}

/** Runs one command line and resolves to the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let core: AltarCore | null = null;
  try {
    const line = parseCommandLine(argv);
    if (line.help) {
      io.stdout.write(helpText);
      return 0;
    }
    if (line.version) {
      io.stdout.write(`altar-viewer ${packageJson.version}\n`);
      return 0;
    }
    const command = line.command === null ? undefined : commands[line.command];
    if (command === undefined) {
      // Bare `altar-viewer` (or `altar-viewer sources`): show what there is to do.
      io.stderr.write(helpText);
      return 2;
    }
    const dataDir = resolveDataDir(line.dataDir, io.env);
    return await command({
      line,
      io,
      dataDir,
      core: (options) => {
        core ??= openCliCore(dataDir, io, options?.background === true);
        return core;
      },
    });
  } catch (error) {
    const failure = describeFailure(error);
    io.stderr.write(`${withoutSecrets(failure.line, argv, io.env)}\n`);
    if (io.env.ALTAR_DEBUG === '1' && failure.stack !== null) {
      io.stderr.write(`${withoutSecrets(failure.stack, argv, io.env)}\n`);
    }
    return failure.exitCode;
  } finally {
    if (core !== null) {
      await (core as AltarCore).close().catch(() => undefined);
    }
  }
}
