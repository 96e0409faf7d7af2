import { resolve } from 'node:path';
import { PROGRAM, UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands } from '../command-line';

/**
 * `sources set NAME --trust DIR ... --untrust DIR ... --notify on|off --writes on|off`: the
 * folders besides
 * the source's own whose files its runs may name (sources stored next to the observer folder
 * with copy_sources=False, artifacts on another disk), and whether the desktop app announces
 * its RUNNING runs when they finish, and whether its runs may be written (tags, notes,
 * delete). Prints what it changed; writes a user may not make leave the source read-only, with
 * exit 1 and the server's reason.
 */
export const sourcesSet: Command = async ({ line, io, core }) => {
  const [name = ''] = requireOperands(line, ['NAME']);
  const add = listOption(line.options.trust).map((dir) => resolve(dir));
  const remove = listOption(line.options.untrust).map((dir) => resolve(dir));
  const notify = onOffOption('--notify', line.options.notify);
  const writes = onOffOption('--writes', line.options.writes);
  if (add.length === 0 && remove.length === 0 && notify === undefined && writes === undefined) {
    throw new UsageError(
      "'sources set' needs --trust DIR, --untrust DIR, --notify on|off or --writes on|off",
    );
  }
  let exitCode = 0;
  if (writes !== undefined) {
    const answer = await core().setSourceWrites({ source: name, enabled: writes });
    if (answer.writable) {
      io.stdout.write(`Writes of "${name}" are on (tags, notes, delete).\n`);
      if (answer.message !== null) io.stderr.write(`Note: ${answer.message}.\n`);
    } else if (writes) {
      io.stderr.write(
        `${PROGRAM}: writes of "${name}" stay off: ${answer.message ?? 'not allowed'}\n`,
      );
      exitCode = 1;
    } else {
      io.stdout.write(`Source "${name}" is read-only.\n`);
    }
  }
  if (notify !== undefined) {
    await core().updateSourceSettings({ source: name, notifyFinishedRuns: notify });
    io.stdout.write(
      notify
        ? `The desktop app announces runs of "${name}" that finish.\n`
        : `The desktop app does not announce runs of "${name}".\n`,
    );
  }
  if (add.length === 0 && remove.length === 0) return exitCode;
  const source = await core().updateTrustedFolders({ source: name, add, remove });
  if (source.trustedFolders.length === 0) {
    io.stdout.write(`Source "${name}" trusts no folder besides its own.\n`);
  } else {
    io.stdout.write(`Source "${name}" may also read files in:\n`);
    for (const folder of source.trustedFolders) io.stdout.write(`  ${folder}\n`);
  }
  io.stdout.write('Runs that named files there are read again at the next sync.\n');
  return exitCode;
};

function listOption(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function onOffOption(flag: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`${flag} takes on or off, not "${String(value)}"`);
}
