import { resolve } from 'node:path';
import packageJson from '../../package.json';
import { isCliCommand, type CliCommand } from '../../shared/cli-commands';
import type { AltarCore } from '../core/altar-core';
import { defaultDataDir } from '../core/default-data-dir';
import type { CliIo } from './cli-io';
import type { Command } from './command-context';
import { parseCommandLine } from './command-line';
import { helpText } from './help-text';

/**
 * Each command's module is imported only when it runs (the bundle splits them into chunks), so
 * `--version`, `--help` and light commands never load the MongoDB driver, the AWS SDK or zod:
 * loading them cost ~300 ms of a 380 ms `--version`.
 */
const commands: Record<CliCommand, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve')).serve,
  'sources add': async () => (await import('./commands/sources-add')).sourcesAdd,
  'sources list': async () => (await import('./commands/sources-list')).sourcesList,
  'sources remove': async () => (await import('./commands/sources-remove')).sourcesRemove,
  'sources set': async () => (await import('./commands/sources-set')).sourcesSet,
  sync: async () => (await import('./commands/sync')).sync,
  runs: async () => (await import('./commands/runs')).runs,
  demo: async () => (await import('./commands/demo')).demo,
  tag: async () => (await import('./commands/tag')).tag,
  note: async () => (await import('./commands/note')).note,
  'profiles list': async () => (await import('./commands/profiles-list')).profilesList,
  'storage set': async () => (await import('./commands/storage-set')).storageSet,
  'storage show': async () => (await import('./commands/storage-show')).storageShow,
  'raw-data': async () => (await import('./commands/raw-data')).rawData,
  send: async () => (await import('./commands/send')).send,
  delete: async () => (await import('./commands/delete')).deleteRuns,
  export: async () => (await import('./commands/export')).exportCommand,
  import: async () => (await import('./commands/import')).importCommand,
  copy: async () => (await import('./commands/copy')).copyCommand,
  'users list': async () => (await import('./commands/users')).usersList,
  'users add': async () => (await import('./commands/users')).usersAdd,
  'users passwd': async () => (await import('./commands/users')).usersPasswd,
  'users remove': async () => (await import('./commands/users')).usersRemove,
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
    const loadCommand =
      line.command !== null && isCliCommand(line.command) ? commands[line.command] : undefined;
    if (loadCommand === undefined) {
      // Bare `altar-viewer` (or `altar-viewer sources`): show what there is to do.
      io.stderr.write(helpText);
      return 2;
    }
    const dataDir = resolveDataDir(line.dataDir, io.env);
    const [command, { openCliCore }] = await Promise.all([
      loadCommand(),
      import('./command-context'),
    ]);
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
    const [{ describeFailure }, { withoutSecrets }] = await Promise.all([
      import('./describe-failure'),
      import('./known-secrets'),
    ]);
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
