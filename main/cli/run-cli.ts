import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import packageJson from '../../package.json';
import { createAltarCore } from '../core/altar-core';
import type { AltarCore } from '../core/altar-core';
import { defaultDataDir } from '../core/default-data-dir';
import { CliFailure, describeFailure } from './cli-errors';
import type { CliIo } from './cli-io';
import type { Command } from './command-context';
import { parseCommandLine } from './command-line';
import { demo } from './commands/demo';
import { runs } from './commands/runs';
import { serve } from './commands/serve';
import { sourcesAdd } from './commands/sources-add';
import { sourcesList } from './commands/sources-list';
import { sourcesRemove } from './commands/sources-remove';
import { sync } from './commands/sync';
import { helpText } from './help-text';

const commands: Record<string, Command> = {
  serve,
  'sources add': sourcesAdd,
  'sources list': sourcesList,
  'sources remove': sourcesRemove,
  sync,
  runs,
  demo,
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
      core: () => {
        if (core === null) {
          try {
            mkdirSync(dataDir, { recursive: true });
          } catch (error) {
            const code =
              error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
            throw new CliFailure(`cannot use ${dataDir} as the data directory${code}`, 1);
          }
          core = createAltarCore({ dataDir, door: 'direct' });
        }
        return core;
      },
    });
  } catch (error) {
    const failure = describeFailure(error);
    io.stderr.write(`${failure.line}\n`);
    if (io.env.ALTAR_DEBUG === '1' && failure.stack !== null) io.stderr.write(`${failure.stack}\n`);
    return failure.exitCode;
  } finally {
    if (core !== null) {
      await (core as AltarCore).close().catch(() => undefined);
    }
  }
}
