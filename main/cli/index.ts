#!/usr/bin/env node
import { runCli } from './run-cli';

// `altar-viewer runs | head` closes the pipe early: that is not an error worth a trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** The exit code once the command has finished: the desktop app (dist/electron-main.mjs) imports
 * this bundle to run `altar-viewer <command>` and exits with it, since Electron does not exit by
 * itself when the command is done. */
export const exitCode: Promise<number> = runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
}).then(
  (code) => {
    process.exitCode = code;
    return code;
  },
  () => {
    process.exitCode = 1;
    return 1;
  },
);
