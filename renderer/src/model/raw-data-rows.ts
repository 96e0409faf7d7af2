import type { JsonValue, RawDataRow } from '../../../shared/contract';
import { dataFileRows } from './data-files';

export const RAW_KIND_LABEL: Record<RawDataRow['kind'], string> = {
  minio: 'MinIO',
  local: 'local',
};

/** How many raw data files (MinIO and local) a run's `info.dataFiles` names; 0 for most runs. */
export function rawDataCount(info: { [key: string]: JsonValue }): number {
  return (dataFileRows(info) ?? []).filter((row) => row.kind !== 'artifact').length;
}

/** The notice above the table when the MinIO rows cannot be fetched yet; null when they can. */
export type StorageNotice =
  { kind: 'no-profile'; text: string } | { kind: 'no-secret'; text: string } | null;

export function storageNotice(source: string, rows: readonly RawDataRow[]): StorageNotice {
  const minio = rows.filter((row) => row.kind === 'minio');
  if (minio.some((row) => row.availability === 'no-profile')) {
    return { kind: 'no-profile', text: `No storage profile for ${source}: set endpoint and keys` };
  }
  if (minio.some((row) => row.availability === 'no-secret')) {
    return {
      kind: 'no-secret',
      text: `The secret access key for ${source} is not known in this session: enter it again`,
    };
  }
  return null;
}

/** A row's content can be streamed through the app (MinIO with a full profile, a found file). */
export function canOpen(row: RawDataRow): boolean {
  return row.availability === 'ready' || row.availability === 'found';
}

/** Where a local file was looked for, said in full so the user can put it there. */
export function missingLocalText(row: RawDataRow): string {
  const expected = row.path ?? [row.location, row.fileName].filter((p) => p !== null).join('/');
  const searched =
    row.searched.length === 0 ? 'no local data folders are set' : row.searched.join(', ');
  return `Expected at ${expected}; searched: ${searched}`;
}

/** "valid until 18:42" for a presigned link, in the viewer's local time. */
export function linkExpiryText(expiresAt: string): string {
  const date = new Date(expiresAt);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `valid until ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "2023-04-17 18:13:00" → the machine-readable form a <time> element takes (no zone: floating). */
export function acquiredDateTime(acquired: string): string {
  return acquired.replace(' ', 'T');
}

/** A stable key for a row: the same stem may appear once under minio and once under local. */
export function rawRowKey(row: RawDataRow): string {
  return `${row.kind}:${row.stem}`;
}
