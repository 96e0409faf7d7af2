import type { SourceInfo } from '../../../shared/contract';
import { formatStart } from './runs-table';
import { renderTable } from './text-table';

function stateOf(source: SourceInfo): string {
  // A mongo source's `online` only tells whether this process reached its server, and listing
  // connects to nothing: in the CLI it would always read "offline".
  if (source.kind === 'folder' && !source.online) return 'folder missing';
  return source.lastError !== null ? `error: ${source.lastError}` : source.state;
}

export function renderSourcesTable(sources: readonly SourceInfo[], width: number): string {
  return renderTable(
    [
      { header: 'NAME', max: 24 },
      { header: 'RUNS', max: 9, align: 'right' },
      { header: 'UNREADABLE', max: 10, align: 'right' },
      { header: 'LAST SYNC', max: 16 },
      { header: 'STATE', max: 40 },
      { header: 'KIND', max: 6 },
      // A folder path, or a MongoDB URI (never with its password) and database.
      { header: 'LOCATION', max: 80 },
    ],
    sources.map((source) => [
      source.name,
      String(source.runCount),
      String(source.unreadableCount),
      source.lastSyncAt === null ? 'never' : formatStart(source.lastSyncAt),
      stateOf(source),
      source.kind,
      source.location,
    ]),
    width,
  );
}
