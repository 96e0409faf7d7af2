import type { RawDataRow } from '../../../shared/contract';
import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { terminalWidth } from '../command-context';
import { choiceOption, requireOperands, stringOption } from '../command-line';
import { renderTable } from '../format/text-table';
import { withStorageAdvice } from './storage-errors';

/** `raw-data RUN_ID --source S [--link STEM [--download]]`: the raw data of an Altar run. */
export const rawData: Command = async ({ line, io, core }) => {
  const [id = ''] = requireOperands(line, ['RUN_ID']);
  const source = stringOption(line, 'source');
  if (source === undefined || source === '') {
    throw new UsageError("'raw-data' needs --source NAME");
  }
  const format = choiceOption(line, 'format', ['table', 'json'] as const, 'table');
  const stem = stringOption(line, 'link');
  const altar = core();
  if (stem !== undefined) {
    const link = await withStorageAdvice(
      altar.rawDataLink({ source, id, stem, download: line.options.download === true }),
    );
    if (format === 'json') io.stdout.write(`${JSON.stringify(link, null, 2)}\n`);
    else io.stdout.write(`${link.url}\n`);
    return 0;
  }
  const list = await altar.listRawData({ source, id });
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(list.rows, null, 2)}\n`);
    return 0;
  }
  if (!list.hasDataFiles) {
    io.stdout.write(`Run "${id}" of "${source}" lists no data files (not an Altar upload).\n`);
    return 0;
  }
  if (list.rows.length === 0) {
    io.stdout.write(`Run "${id}" of "${source}" has no raw data.\n`);
    return 0;
  }
  io.stdout.write(
    renderTable(
      [
        { header: 'KIND', max: 5 },
        { header: 'STEM', max: 30 },
        { header: 'TYPE', max: 12 },
        { header: 'SIZE', max: 12, align: 'right' },
        { header: 'ACQUIRED', max: 19 },
        { header: 'AVAILABILITY', max: 12 },
        { header: 'WHERE', max: 200 },
      ],
      list.rows.map((row) => [
        row.kind,
        row.stem,
        row.type ?? '',
        row.size ?? '',
        row.acquired ?? '',
        row.availability,
        where(row),
      ]),
      terminalWidth(io),
    ),
  );
  for (const row of list.rows) {
    if (row.availability === 'missing' && row.searched.length > 0) {
      io.stdout.write(`${row.stem}: looked in ${row.searched.join('; ')}\n`);
    }
  }
  return 0;
};

function where(row: RawDataRow): string {
  if (row.kind === 'minio') return `${row.bucket ?? '?'}/${row.key ?? row.fileName}`;
  return row.path ?? row.location ?? row.fileName;
}
