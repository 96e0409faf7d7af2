/**
 * Every command of the CLI, as typed after `altar-viewer`. The CLI's command table
 * (main/cli/run-cli.ts) and option table (main/cli/command-line.ts) are keyed by this type, so
 * adding a command here without its module, or the other way round, fails the typecheck; the
 * installed app (main/electron/cli-invocation.ts) reads the first words from here to tell a CLI
 * command line from a path to open, so it can no longer miss a new command.
 */
export const CLI_COMMANDS = [
  'serve',
  'sources add',
  'sources list',
  'sources remove',
  'sources set',
  'sync',
  'runs',
  'demo',
  'tag',
  'note',
  'profiles list',
  'storage set',
  'storage show',
  'raw-data',
  'send',
  'delete',
  'export',
  'import',
  'copy',
  'users list',
  'users add',
  'users passwd',
  'users remove',
] as const;

export type CliCommand = (typeof CLI_COMMANDS)[number];

/** The first word of each command: what `altar-viewer <word> …` must start with. */
export const CLI_FIRST_WORDS: ReadonlySet<string> = new Set(
  CLI_COMMANDS.map((command) => command.split(' ')[0]!),
);

/** The subcommands of each two-word command (`sources` → add, list, remove, set). */
export function subcommandsOf(first: string): string[] | undefined {
  const subcommands = CLI_COMMANDS.filter((command) => command.startsWith(`${first} `)).map(
    (command) => command.slice(first.length + 1),
  );
  return subcommands.length === 0 ? undefined : subcommands;
}

export function isCliCommand(words: string): words is CliCommand {
  return (CLI_COMMANDS as readonly string[]).includes(words);
}
