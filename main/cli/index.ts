#!/usr/bin/env node
import { isBareVersion, versionLine } from './version-line';

// `altar-viewer runs | head` closes the pipe early: that is not an error worth a trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);

function printVersion(): number {
  process.stdout.write(versionLine);
  return 0;
}

/** Every command line but a bare `--version`: the parser and the commands load only here. */
async function runCommandLine(): Promise<number> {
  const { runCli } = await import('./run-cli');
  return runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdin: process.stdin,
  });
}

/** The exit code once the command has finished: the desktop app (dist/electron-main.mjs) imports
 * this bundle to run `altar-viewer <command>` and exits with it, since Electron does not exit by
 * itself when the command is done. */
export const exitCode: Promise<number> = (
  isBareVersion(argv) ? Promise.resolve(printVersion()) : runCommandLine()
).then(
  (code) => {
    process.exitCode = code;
    return code;
  },
  () => {
    process.exitCode = 1;
    return 1;
  },
);
