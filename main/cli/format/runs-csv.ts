import Papa from 'papaparse';
import type { JsonValue, RunSummary } from '../../../shared/contract';

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

/** Spreadsheet cells: scalars as they are, nested values as JSON text, null as empty. */
function cell(value: JsonValue | undefined): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

export function renderRunsCsv(runs: readonly RunSummary[]): string {
  const data = runs.map((run) => [
    run.source,
    run.id,
    run.status,
    cell(run.experiment),
    cell(run.command),
    cell(run.start_time),
    cell(run.stop_time),
    cell(run.heartbeat),
    cell(run.host),
    cell(run.result),
    cell(run.comment),
    JSON.stringify(run.tags),
    JSON.stringify(run.config),
    run.metrics.length,
    run.artifacts.length,
    run.probablyDead,
    cell(run.unreadable),
  ]);
  return Papa.unparse({ fields: [...runCsvColumns], data }, { newline: '\n' }) + '\n';
}
