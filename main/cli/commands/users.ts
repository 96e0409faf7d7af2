import type { LabRole } from '../../../shared/contract/users-methods';
import { AltarError } from '../../../shared/errors';
import { UsageError } from '../cli-errors';
import type { CliIo } from '../cli-io';
import type { Command } from '../command-context';
import { choiceOption, requireOperands } from '../command-line';
import { promptHidden } from '../password-prompt';
import { requireSource } from './tag';

/** Where `users add` and `users passwd` take the new password from, before asking. */
export const NEW_PASSWORD_ENV = 'ALTAR_NEW_USER_PASSWORD';

/**
 * `users list --source S [--format table|json]`: the users of the source's database and what
 * they may do there (reader, writer, admin), as the server lists them (usersInfo).
 */
export const usersList: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const source = requireSource(line.options.source);
  const format = choiceOption(line, 'format', ['table', 'json'] as const, 'table');
  const listed = await core().listLabUsers({ source });
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    return 0;
  }
  if (listed.users.length === 0) {
    io.stdout.write(`No users are defined in ${listed.userDb} or ${listed.database}.\n`);
    return 0;
  }
  const width = Math.max(4, ...listed.users.map((user) => user.name.length));
  io.stdout.write(`Users with access to ${listed.database}:\n`);
  io.stdout.write(`${'NAME'.padEnd(width)}  ACCESS  ROLES\n`);
  for (const user of listed.users) {
    const name = user.userDb === listed.userDb ? user.name : `${user.name}@${user.userDb}`;
    io.stdout.write(`${name.padEnd(width)}  ${user.access.padEnd(6)}  ${user.roles.join(', ')}\n`);
  }
  return 0;
};

/**
 * `users add --source S --name U --role reader|writer [--generate]`: a lab member with `read` or
 * `readWrite` on the source's database, created where the source's user logs in (authSource).
 */
export const usersAdd: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const source = requireSource(line.options.source);
  const name = requireName(line.options.name);
  if (line.options.role === undefined) throw new UsageError('--role reader|writer is needed');
  const role: LabRole = choiceOption(line, 'role', ['reader', 'writer'] as const, 'reader');
  const password = await newPassword(io, name, line.options.generate === true);
  const added = await core().addLabUser({ source, name, role, ...password });
  io.stdout.write(`Added ${name} as ${role} of "${source}".\n`);
  printGenerated(io, added.generatedPassword);
  return 0;
};

/** `users passwd --source S --name U [--generate]`: a new password for a user. */
export const usersPasswd: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const source = requireSource(line.options.source);
  const name = requireName(line.options.name);
  const password = await newPassword(io, name, line.options.generate === true);
  const changed = await core().changeLabUserPassword({ source, name, ...password });
  io.stdout.write(`Changed the password of ${name}.\n`);
  printGenerated(io, changed.generatedPassword);
  return 0;
};

/** `users remove --source S --name U`: drops the user; its sessions lose access at once. */
export const usersRemove: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const source = requireSource(line.options.source);
  const name = requireName(line.options.name);
  await core().removeLabUser({ source, name });
  io.stdout.write(`Removed ${name}.\n`);
  return 0;
};

function requireName(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new UsageError('--name USER is needed');
  return value;
}

/**
 * ALTAR_NEW_USER_PASSWORD, else asked twice at a terminal, else generated with --generate.
 * Never an option: a command line is readable by every local user and kept in shell history.
 */
async function newPassword(
  io: CliIo,
  name: string,
  generate: boolean,
): Promise<{ password: string } | { generate: true }> {
  if (generate) return { generate: true };
  const fromEnv = io.env[NEW_PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { password: fromEnv };
  const stdin = io.stdin;
  if (stdin?.isTTY !== true) {
    throw new UsageError(
      `a new password is needed: set ${NEW_PASSWORD_ENV}, run at a terminal, or pass --generate`,
    );
  }
  const first = await promptHidden(`New password for ${name}: `, stdin, io.stderr);
  if (first === null || first === '') throw new AltarError('CANCELLED', 'No password was typed.');
  const again = await promptHidden('Type it again: ', stdin, io.stderr);
  if (again !== first) throw new AltarError('INVALID_ARGUMENT', 'The two passwords differ.');
  return { password: first };
}

/** Printed once, on stdout only, so that it can be piped to a password manager. */
function printGenerated(io: CliIo, password: string | null): void {
  if (password === null) return;
  io.stdout.write(`Password (shown once, not saved anywhere): ${password}\n`);
}
