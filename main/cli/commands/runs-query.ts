import type { AltarCore } from '../../core/altar-core';
import {
  DEFAULT_COLUMNS,
  describeFilterError,
  parseColumnId,
  parseFilter,
} from '../../../shared/filter';
import type { SortSpec } from '../../../shared/filter';
import { CliFailure } from '../cli-errors';
import type { CliIo } from '../cli-io';
import { terminalWidth } from '../command-context';
import { stringOption } from '../command-line';
import type { CommandLine } from '../command-line';
import { renderQueryTable } from '../format/query-table';

/** Whether the runs command was given one of the run-table options. */
export function wantsRunQuery(line: CommandLine): boolean {
  return ['where', 'sort', 'desc', 'columns'].some((name) => line.options[name] !== undefined);
}

/**
 * `runs --where EXPR --sort KEY[,KEY...] [--desc] --columns a,b,c`: the run table's query
 * language and engine. A key written `config.lr:desc` (or `--sort=-config.lr`) sorts that key
 * descending; `--desc` flips every key. The CSV is the one exportRuns gives the UI for the same view.
 */
export async function runQuery(
  line: CommandLine,
  io: CliIo,
  core: () => AltarCore,
  format: 'table' | 'json' | 'csv',
  limit: number | undefined,
  source: string | undefined,
): Promise<number> {
  const where = stringOption(line, 'where');
  if (where !== undefined) {
    const parsed = parseFilter(where);
    if (!parsed.ok) throw new CliFailure(`--where: ${describeFilterError(parsed.error)}`, 2);
  }
  const desc = line.options['desc'] === true;
  const sortText = stringOption(line, 'sort');
  const sort: SortSpec[] | undefined =
    sortText === undefined
      ? desc
        ? [{ column: 'start_time', desc: false }]
        : undefined
      : splitColumnList(sortText, '--sort').map((key) => {
          const suffix = /:(asc|desc)$/u.exec(key);
          const bare = suffix === null ? key : key.slice(0, -suffix[0].length);
          const descending = bare.startsWith('-') || suffix?.[1] === 'desc';
          return { column: bare.replace(/^-/u, ''), desc: descending !== desc };
        });
  const columnsText = stringOption(line, 'columns');
  const columns =
    columnsText === undefined ? [...DEFAULT_COLUMNS] : splitColumnList(columnsText, '--columns');
  for (const column of [...columns, ...(sort ?? []).map((spec) => spec.column)]) {
    const parsed = parseColumnId(column);
    if (!parsed.ok) {
      throw new CliFailure(`column "${column}": ${describeFilterError(parsed.error)}`, 2);
    }
  }
  const query = {
    ...(source !== undefined ? { sources: [source] } : {}),
    ...(where !== undefined ? { where } : {}),
    ...(sort !== undefined ? { sort } : {}),
    columns,
  };
  if (format === 'csv' || format === 'json') {
    const exported = await core().exportRuns({
      ...query,
      format,
      ...(limit !== undefined ? { limit } : {}),
    });
    io.stdout.write(exported.text ?? '');
    return 0;
  }
  const page = await core().queryRuns({ ...query, limit: limit ?? 100 });
  if (page.total === 0) {
    io.stdout.write(
      where === undefined
        ? 'No runs. Add a source and run "altar-viewer sync".\n'
        : 'No runs match.\n',
    );
    return 0;
  }
  io.stdout.write(renderQueryTable(page, terminalWidth(io)));
  if (page.total > page.rows.length) {
    io.stdout.write(`(${page.rows.length} of ${page.total} runs; use --limit to see more)\n`);
  }
  return 0;
}

/** Splits "a,config.\"x,y\",b" at the commas outside quotes. */
export function splitColumnList(text: string, option: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== null) {
      current += c;
      if (c === '\\' && i + 1 < text.length) current += text[++i] as string;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ',') {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  const keys = out.filter((key) => key !== '');
  if (keys.length === 0) throw new CliFailure(`${option} needs at least one column`, 2);
  return keys;
}
