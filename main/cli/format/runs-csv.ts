import type { RunSummary } from '../../../shared/contract';
import { csvCell, csvLines } from '../../core/query/export-runs';

/**
 * `runs --format csv` without query options: one line per run summary, with the whole config
 * as JSON. Quoting, cells (missing empty, lists and objects as JSON) and line ends are the run
 * table exporter's, so this CSV and `runs --columns ... --format csv` read the same way.
 */
export const runCsvColumns = [
  'source',
  'id',
  'status',
  'experiment',
  'command',
  'start_time',
  'stop_time',
  'heartbeat',
  'host',
  'result',
  'comment',
  'tags',
  'config',
  'metric_count',
  'artifact_count',
  'probably_dead',
  'unreadable',
] as const;

export function renderRunsCsv(runs: readonly RunSummary[]): string {
  const rows = runs.map((run) =>
    [
      run.source,
      run.id,
      run.status,
      run.experiment,
      run.command,
      run.start_time,
      run.stop_time,
      run.heartbeat,
      run.host,
      run.result,
      run.comment,
      run.tags,
      run.config,
      run.metrics.length,
      run.artifacts.length,
      run.probablyDead,
      run.unreadable,
    ].map(csvCell),
  );
  return csvLines([[...runCsvColumns], ...rows]);
}
