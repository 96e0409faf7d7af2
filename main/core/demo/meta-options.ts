import { PyFloat } from './python-json';
import type { PyValue } from './python-json';

export interface MetaInput {
  command: string;
  updates: { [key: string]: PyValue };
  comment: string | null;
  beatInterval: string | null;
  customId: string | null;
  queued: boolean;
  priority: number | null;
  namedConfigs: string[];
}

function updateText(value: PyValue): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * `meta` as Sacred 0.8.x writes it: the full docopt options dict (24 keys, values as typed on
 * the command line, so --beat-interval is a string), plus config_updates and named_configs.
 */
export function buildMeta(input: MetaInput): { [key: string]: PyValue } {
  const updateList = Object.entries(input.updates).map(
    ([key, value]) => `${key}=${updateText(value)}`,
  );
  const withList = [...input.namedConfigs, ...updateList];
  const options: { [key: string]: PyValue } = {
    '--beat-interval': input.beatInterval,
    '--capture': null,
    '--comment': input.comment,
    '--debug': false,
    '--enforce_clean': false,
    '--file_storage': null,
    '--force': false,
    '--help': false,
    '--id': input.customId,
    '--loglevel': null,
    '--mongo_db': null,
    '--name': null,
    '--pdb': false,
    '--print-config': false,
    '--priority': input.priority === null ? null : String(input.priority),
    '--queue': input.queued,
    '--s3': null,
    '--sql': null,
    '--tiny_db': null,
    '--unobserved': false,
    COMMAND: input.command === 'main' ? null : input.command,
    UPDATE: withList,
    help: false,
    with: withList.length > 0,
  };
  const meta: { [key: string]: PyValue } = {
    command: input.command,
    config_updates: input.updates,
    named_configs: input.namedConfigs,
    options,
  };
  if (input.comment !== null) meta.comment = input.comment;
  if (input.priority !== null) meta.priority = new PyFloat(input.priority);
  return meta;
}
