// The installed app is also the CLI: `altar-viewer sync` (the deb's /usr/bin/altar-viewer, the
// AppImage, the Windows and macOS executables) runs the bundled CLI (dist/cli.mjs) in the main
// process, with no window, and exits with its code; without a command it opens the window. The
// CLI cannot be a separate `ELECTRON_RUN_AS_NODE` process: that fuse is off in the installed app.
import { pathToFileURL } from 'node:url';
import { CLI_FIRST_WORDS } from '../../shared/cli-commands';

/** Switches Chromium or the AppImage launcher may add that are not the CLI's. */
const CHROMIUM_SWITCHES = new Set(['--no-sandbox']);

/**
 * The CLI's argv when the app was started with a CLI command (or --help/--version before any
 * command), else null. `defaultApp` is Electron's process.defaultApp: true under `electron
 * path/to/main`, where the script's path comes before the user's arguments.
 */
export function cliArgumentsOf(argv: readonly string[], defaultApp: boolean): string[] | null {
  const args = argv.slice(defaultApp ? 2 : 1).filter((arg) => !CHROMIUM_SWITCHES.has(arg));
  // The first operand, skipping the value of --data-dir given as its own argument.
  const first = args.find((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--data-dir');
  if (first !== undefined && CLI_FIRST_WORDS.has(first)) return args;
  const beforeCommand = first === undefined ? args : args.slice(0, args.indexOf(first));
  const asksCli = beforeCommand.some((arg) => ['--help', '-h', '--version', '-V'].includes(arg));
  return asksCli ? args : null;
}

/**
 * Runs the bundled CLI on this process's terminal with `args`, then hands its exit code to
 * `exit` (app.exit). The CLI reads its arguments from process.argv, as under Node.
 */
export async function runCliInApp(
  cliPath: string,
  args: string[],
  exit: (code: number) => void,
): Promise<void> {
  process.argv = [process.argv[0]!, cliPath, ...args];
  try {
    const cli = (await import(pathToFileURL(cliPath).href)) as { exitCode: Promise<number> };
    exit(await cli.exitCode);
  } catch (error) {
    process.stderr.write(`altar-viewer: the CLI could not start: ${String(error)}\n`);
    exit(1);
  }
}
