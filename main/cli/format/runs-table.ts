import type { RunSummary } from '../../../shared/contract';
import { renderTable } from './text-table';
import type { Column } from './text-table';

function parseUtc(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** Local time to the minute: what a person compares runs by. */
export function formatStart(iso: string | null): string {
  const ms = parseUtc(iso);
  if (ms === null) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDuration(ms: number): string {
  if (ms < 0) return '';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}

/** Until stop_time, or until the last heartbeat while a run is (or looks) running. */
function duration(run: RunSummary): string {
  const start = parseUtc(run.start_time);
  const end = parseUtc(run.stop_time) ?? parseUtc(run.heartbeat);
  return start === null || end === null ? '' : formatDuration(end - start);
}

function status(run: RunSummary): string {
  if (run.unreadable !== null) {
    return run.status === '' || run.status.toUpperCase() === 'UNREADABLE'
      ? 'UNREADABLE'
      : `${run.status} (unreadable)`;
  }
  return run.probablyDead ? `${run.status} (dead?)` : run.status;
}

/** For a run that could not be read, the reason is what the user needs in that row. */
function result(run: RunSummary): string {
  if (run.unreadable !== null) return run.unreadable;
  if (run.result === null) return '';
  if (typeof run.result === 'string') return run.result;
  return JSON.stringify(run.result);
}

export function renderRunsTable(runs: readonly RunSummary[], width: number): string {
  const manySources = new Set(runs.map((run) => run.source)).size > 1;
  const columns: Column[] = [
    ...(manySources ? [{ header: 'SOURCE', max: 16 }] : []),
    { header: 'ID', max: 24 },
    { header: 'STATUS', max: 24 },
    { header: 'EXPERIMENT', max: 28 },
    { header: 'START', max: 16 },
    { header: 'DURATION', max: 9, align: 'right' },
    { header: 'HOST', max: 20 },
    { header: 'RESULT', max: 40 },
  ];
  const rows = runs.map((run) => [
    ...(manySources ? [run.source] : []),
    run.id,
    status(run),
    run.experiment ?? '',
    formatStart(run.start_time),
    duration(run),
    run.host ?? '',
    result(run),
  ]);
  return renderTable(columns, rows, width);
}
