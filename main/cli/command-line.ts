import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { isCliCommand, subcommandsOf, type CliCommand } from '../../shared/cli-commands';
import { UsageError } from './cli-errors';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const globalOptions = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} satisfies OptionSpec;

/** Options per command ("sources add" has its own); global options are accepted everywhere. */
export const commandOptions: Record<CliCommand, OptionSpec> = {
  serve: { host: { type: 'string' }, port: { type: 'string' }, 'no-open': { type: 'boolean' } },
  'sources add': {
    folder: { type: 'string' },
    mongo: { type: 'string' },
    db: { type: 'string' },
    prefix: { type: 'string' },
    'timeout-ms': { type: 'string' },
    new: { type: 'boolean' },
  },
  'sources list': { format: { type: 'string' } },
  'sources remove': {},
  'sources set': {
    trust: { type: 'string', multiple: true },
    untrust: { type: 'string', multiple: true },
    notify: { type: 'string' },
    writes: { type: 'string' },
  },
  sync: { watch: { type: 'boolean' }, interval: { type: 'string' } },
  runs: {
    source: { type: 'string' },
    limit: { type: 'string' },
    format: { type: 'string' },
    where: { type: 'string' },
    sort: { type: 'string' },
    desc: { type: 'boolean' },
    columns: { type: 'string' },
  },
  demo: { runs: { type: 'string' } },
  tag: {
    source: { type: 'string' },
    add: { type: 'string', multiple: true },
    remove: { type: 'string', multiple: true },
  },
  note: { source: { type: 'string' }, text: { type: 'string' } },
  'profiles list': { format: { type: 'string' } },
  'storage set': {
    endpoint: { type: 'string' },
    'access-key': { type: 'string' },
    region: { type: 'string' },
    'local-root': { type: 'string', multiple: true },
    'virtual-host': { type: 'boolean' },
  },
  'storage show': { format: { type: 'string' } },
  export: {
    to: { type: 'string' },
    where: { type: 'string' },
    gzip: { type: 'boolean' },
    'raw-data': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  import: {
    to: { type: 'string' },
    db: { type: 'string' },
    'raw-data': { type: 'boolean' },
    bucket: { type: 'string' },
  },
  copy: { from: { type: 'string' }, to: { type: 'string' }, where: { type: 'string' } },
  'raw-data': {
    source: { type: 'string' },
    link: { type: 'string' },
    download: { type: 'boolean' },
    format: { type: 'string' },
  },
  send: {
    to: { type: 'string' },
    config: { type: 'string' },
    'config-from-name': { type: 'string' },
    flatten: { type: 'boolean' },
    metrics: { type: 'string' },
    'x-axis': { type: 'string' },
    results: { type: 'string' },
    artifact: { type: 'string', multiple: true },
    'raw-data': { type: 'string', multiple: true },
    'raw-to': { type: 'string' },
    bucket: { type: 'string' },
    'local-root': { type: 'string' },
    again: { type: 'boolean' },
    resume: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    format: { type: 'string' },
  },
  delete: { source: { type: 'string' }, yes: { type: 'boolean' } },
  'users list': { source: { type: 'string' }, format: { type: 'string' } },
  'users add': {
    source: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    generate: { type: 'boolean' },
  },
  'users passwd': {
    source: { type: 'string' },
    name: { type: 'string' },
    generate: { type: 'boolean' },
  },
  'users remove': { source: { type: 'string' }, name: { type: 'string' } },
};

export interface CommandLine {
  /** "serve", "sources add", ... or null when only global options were given. */
  command: string | null;
  /** Positional arguments after the command (and subcommand). */
  operands: string[];
  options: Record<string, string | boolean | undefined>;
  dataDir: string | undefined;
  help: boolean;
  version: boolean;
}

function takesValue(arg: string): boolean {
  if (arg.includes('=')) return false;
  const name = arg.replace(/^--?/u, '');
  const specs: OptionSpec[] = [globalOptions, ...Object.values(commandOptions)];
  return specs.some((spec) => {
    const option = spec[name] ?? Object.values(spec).find((o) => o.short === name);
    return option?.type === 'string';
  });
}

/** The words that are not options, skipping the values of options that take one. */
function words(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg.startsWith('-') && arg !== '-') {
      if (takesValue(arg)) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [first, second] = words(argv);
  let command: string | null = null;
  if (first !== undefined) {
    const subcommands = subcommandsOf(first);
    if (subcommands !== undefined) {
      if (second === undefined) {
        if (!argv.includes('--help') && !argv.includes('-h')) {
          throw new UsageError(`'${first}' needs a subcommand: ${subcommands.join(', ')}`);
        }
        command = first;
      } else if (!subcommands.includes(second)) {
        throw new UsageError(`unknown command '${first} ${second}'`);
      } else command = `${first} ${second}`;
    } else if (isCliCommand(first)) command = first;
    else throw new UsageError(`unknown command '${first}'`);
  }

  const spec: OptionSpec = {
    ...globalOptions,
    ...(command !== null && isCliCommand(command) ? commandOptions[command] : {}),
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error, command));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const skip = command === null ? 0 : command.split(' ').length;
  return {
    command,
    operands: parsed.positionals.slice(skip),
    options: values,
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
    help: values.help === true,
    version: values.version === true,
  };
}

function describeParseError(error: unknown, command: string | null): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const option = /'(-[^' ]+)/u.exec(message)?.[1] ?? /(--?[\w-]+)/u.exec(message)?.[1] ?? '';
  const where = command === null ? '' : ` for '${command}'`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}'${where}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.includes('argument missing')
      ? `option '${option}' needs a value`
      : `option '${option}' does not take a value`;
  }
  return message.split('\n')[0] ?? message;
}

export function stringOption(line: CommandLine, name: string): string | undefined {
  const value = line.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function requireOperands(
  line: CommandLine,
  names: readonly string[],
  rest = false,
): string[] {
  if (line.operands.length < names.length) {
    throw new UsageError(
      `'${line.command ?? ''}' needs ${names.slice(line.operands.length).join(' and ')}`,
    );
  }
  if (!rest && line.operands.length > names.length) {
    throw new UsageError(
      `unexpected argument '${line.operands[names.length] ?? ''}' for '${line.command ?? ''}'`,
    );
  }
  return line.operands;
}

export function integerOption(
  line: CommandLine,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const text = stringOption(line, name);
  if (text === undefined) return undefined;
  const value = /^\d+$/u.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got '${text}')`);
  }
  return value;
}

export function choiceOption<T extends string>(
  line: CommandLine,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = stringOption(line, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got '${text}')`);
  }
  return text as T;
}
