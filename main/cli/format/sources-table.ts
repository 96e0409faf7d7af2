import type { SourceInfo } from '../../../shared/contract';
import { formatStart } from './runs-table';
import { renderTable } from './text-table';

export function renderSourcesTable(sources: readonly SourceInfo[], width: number): string {
  return renderTable(
    [
      { header: 'NAME', max: 24 },
      { header: 'RUNS', max: 9, align: 'right' },
      { header: 'UNREADABLE', max: 10, align: 'right' },
      { header: 'LAST SYNC', max: 16 },
      { header: 'STATE', max: 40 },
      { header: 'FOLDER', max: 80 },
    ],
    sources.map((source) => [
      source.name,
      String(source.runCount),
      String(source.unreadableCount),
      source.lastSyncAt === null ? 'never' : formatStart(source.lastSyncAt),
      !source.online
        ? 'folder missing'
        : source.lastError !== null
          ? `error: ${source.lastError}`
          : source.state,
      source.location,
    ]),
    width,
  );
}
