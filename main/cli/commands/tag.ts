import type { RunEdit } from '../../../shared/contract/writes-methods';
import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands } from '../command-line';

/**
 * `tag RUN... --source NAME [--add TAG]... [--remove TAG]...`: changes the runs' tags as
 * Omniboard does (MongoDB: `omniboard.tags`; folders: run.json's omniboard member) and prints
 * each run's tags after. Without --add/--remove it prints them. A read-only source fails with
 * exit 1 and says how to turn writes on.
 */
export const tag: Command = async ({ line, io, core }) => {
  const ids = requireOperands(line, ['RUN'], true);
  const source = requireSource(line.options.source);
  const add = listOption(line.options.add);
  const remove = listOption(line.options.remove);
  if (add.length === 0 && remove.length === 0) {
    for (const id of ids) {
      const run = await core().getRun({ source, id });
      io.stdout.write(`${describeTags(run.id, run.tags)}\n`);
    }
    return 0;
  }
  const { runs } = await core().setTags({
    source,
    ids,
    ...(add.length > 0 ? { add } : {}),
    ...(remove.length > 0 ? { remove } : {}),
  });
  for (const run of runs) io.stdout.write(`${describeTags(run.id, run.tags)}${stateNote(run)}\n`);
  return 0;
};

function describeTags(id: string, tags: readonly string[]): string {
  return `Run ${id}: ${tags.length === 0 ? '(no tags)' : tags.join(', ')}`;
}

/** What a user must know about an edit that is not on the server yet. */
export function stateNote(edit: RunEdit): string {
  if (edit.state === 'pending') {
    return ' (pending: the server cannot be reached; written at the next successful sync)';
  }
  if (edit.state === 'conflict') {
    return ' (conflict: changed on the server meanwhile; choose in the app)';
  }
  return '';
}

export function requireSource(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new UsageError('--source NAME is needed');
  return value;
}

function listOption(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
