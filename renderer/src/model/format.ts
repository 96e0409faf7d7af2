import type { JsonValue } from '../../../shared/contract';
import { describeJsonpickle } from '../../../shared/jsonpickle';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2024-01-02 13:04:05" in the viewer's local time zone; '' for missing or bad input. */
export function formatLocalTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** The UTC reading of a time, for title attributes. */
export function formatUtcTitle(iso: string | null | undefined): string | undefined {
  if (iso === null || iso === undefined) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : `${date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/u, '')} UTC`;
}

/** "850 ms", "42 s", "3 min 05 s", "2 h 03 min", "3 d 04 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${pad(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${pad(m % 60)} min`;
  return `${Math.floor(h / 24)} d ${pad(h % 24)} h`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb < 10 ? mb.toFixed(1) : String(Math.round(mb));
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return n.toExponential(3);
  return String(Number(n.toPrecision(5)));
}

/** A value shortened for a table cell: numbers rounded, jsonpickle decoded, objects inline. */
export function compactValue(value: JsonValue | undefined, maxLength = 60): string {
  if (value === undefined || value === null) return value === null ? 'null' : '';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string')
    return value.length > maxLength ? `${value.slice(0, maxLength - 1)}…` : value;
  if (typeof value === 'boolean') return String(value);
  const described = describeJsonpickle(value);
  let text: string;
  if (described !== null) text = described;
  else if (Array.isArray(value))
    text = `[${value.map((item) => compactValue(item, maxLength)).join(', ')}]`;
  else {
    text = `{${Object.entries(value)
      .map(([key, item]) => `${key}: ${compactValue(item, maxLength)}`)
      .join(', ')}}`;
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** A value's sort key: numbers stay numbers, the rest sorts by its compact text. */
export function sortKeyOf(value: JsonValue | undefined): string | number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return compactValue(value, 200);
}
