import { join } from 'node:path';
import { inject } from 'vitest';

/** A command line that runs the CLI: `spawn(cli.command, cli.args)`. */
export interface CliCommand {
  command: string;
  args: string[];
}

/**
 * The CLI as tests start it, with `args` after it: this Node (the one vitest runs on, so
 * `npm run test:node22` starts Node 22 children) and the CLI bundled for this test run by
 * tests/support/cli-bundle.global.ts. NODE_OPTIONS reaches the child with the environment, as
 * for any child process.
 */
export function cliCommand(args: readonly string[]): CliCommand {
  const build = inject('altarMainBuild');
  if (typeof build !== 'string' || build === '') {
    throw new Error(
      'cliCommand: no CLI bundle for this run; run vitest with a config whose globalSetup ' +
        'includes tests/support/cli-bundle.global.ts (vitest.config.ts does)',
    );
  }
  return { command: process.execPath, args: [join(build, 'cli.mjs'), ...args] };
}
