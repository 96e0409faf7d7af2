/**
 * The files an Altar upload lists in `info.dataFiles` (SACRED_FORMAT.md §7), read tolerantly:
 * the sender tool changed over time and a hand-edited run may hold anything, so an entry of an
 * unexpected shape is skipped rather than failing the whole list.
 */
import type { JsonValue } from './contract';

type Json = JsonValue;
type Dict = { [key: string]: Json };

/** One file an Altar run refers to in `info.dataFiles`. */
export interface DataFileEntry {
  kind: 'artifact' | 'minio' | 'local';
  stem: string;
  /** The stored name (hash-time-original), or the file name for raw data. */
  fileName: string;
  type: string | null;
  /** As stored: a human string in French units ("12.30 Mo"). */
  size: string | null;
  /** `size` in bytes (1024-based units), or null when it does not parse. */
  sizeBytes: number | null;
  /** bucket/folder on MinIO, the folder path for local files; null for artifacts. */
  location: string | null;
  /** From the stored name's YYYYMMDDTHHMMSS, as "2023-04-17 18:13:00"; null when absent. */
  acquired: string | null;
  /** MinIO only: the bucket and the object key `<minio_folder>/<fileName>`. */
  bucket: string | null;
  key: string | null;
  /** Local only: `local_path` as stored (often a Windows or UNC path of another computer). */
  localPath: string | null;
}

function asDict(value: Json | undefined): Dict | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

function asText(value: Json | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

const STORED_NAME = /^[0-9A-HJKMNP-TV-Z]{7}-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})-/iu;

/** The acquisition time in a stored name like `BBTPRXK-20230417T181300-video.tiff`. */
export function acquisitionTime(storedName: string): string | null {
  const m = STORED_NAME.exec(storedName);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s] = m;
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

const UNIT_POWERS: Record<string, number> = {
  o: 0,
  b: 0,
  ko: 1,
  kb: 1,
  kio: 1,
  kib: 1,
  mo: 2,
  mb: 2,
  mio: 2,
  mib: 2,
  go: 3,
  gb: 3,
  gio: 3,
  gib: 3,
  to: 4,
  tb: 4,
  tio: 4,
  tib: 4,
};

/**
 * Bytes of a human size such as "12.30 Mo", "512 o" or "1,5 Go" (French units, decimal comma
 * accepted; English B/KB/MB/GB too). Units count in 1024s, as the sender's humanizer does;
 * the stored text is rounded, so the result is approximate. Null when it does not parse.
 */
export function parseHumanSize(text: string | null): number | null {
  if (text === null) return null;
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z]+)?\s*$/iu.exec(text);
  if (m === null) return null;
  const [, number = '', unit = 'o'] = m;
  const power = UNIT_POWERS[unit.toLowerCase()];
  if (power === undefined) return null;
  const value = Number(number.replace(',', '.'));
  return Number.isFinite(value) ? Math.round(value * 1024 ** power) : null;
}

/** `minio_folder` and `fileName` joined as an object key, without doubled or leading slashes. */
export function minioObjectKey(folder: string | null, fileName: string): string {
  const parts = [folder ?? '', fileName]
    .flatMap((part) => part.split('/'))
    .filter((part) => part !== '');
  return parts.join('/');
}

/**
 * The entries of `info.dataFiles`, artifacts first, then MinIO and local raw data; null when
 * the run has no dataFiles (not an Altar upload).
 */
export function dataFileEntries(info: Dict): DataFileEntry[] | null {
  const dataFiles = asDict(info.dataFiles);
  if (dataFiles === null) return null;
  const rows: DataFileEntry[] = [];
  for (const [stem, stored] of Object.entries(asDict(dataFiles.artifacts) ?? {})) {
    const fileName = asText(stored);
    if (fileName === null) continue;
    rows.push({
      kind: 'artifact',
      stem,
      fileName,
      type: null,
      size: null,
      sizeBytes: null,
      location: null,
      acquired: acquisitionTime(fileName),
      bucket: null,
      key: null,
      localPath: null,
    });
  }
  return [...rows, ...rawDataEntries(dataFiles)];
}

/** Only the raw data (MinIO and local) of `info.dataFiles`; [] when there is none. */
export function rawDataEntries(dataFiles: Dict): DataFileEntry[] {
  const rows: DataFileEntry[] = [];
  const raw = asDict(dataFiles.raw_data);
  for (const kind of ['minio', 'local'] as const) {
    for (const [stem, entry] of Object.entries(asDict(raw?.[kind]) ?? {})) {
      const item = asDict(entry);
      if (item === null) continue;
      const fileName = asText(item.fileName) ?? stem;
      const bucket = kind === 'minio' ? asText(item.bucket) : null;
      const folder = kind === 'minio' ? asText(item.minio_folder) : null;
      const localPath = kind === 'local' ? asText(item.local_path) : null;
      const location =
        kind === 'minio' ? [bucket, folder].filter((p) => p !== null).join('/') : localPath;
      const size = asText(item.size);
      rows.push({
        kind,
        stem,
        fileName,
        type: asText(item.type),
        size,
        sizeBytes: parseHumanSize(size),
        location: location === '' ? null : location,
        acquired: acquisitionTime(fileName),
        bucket: bucket === '' ? null : bucket,
        key: kind === 'minio' ? minioObjectKey(folder, fileName) : null,
        localPath: localPath === '' ? null : localPath,
      });
    }
  }
  return rows;
}

/** The raw data entries of a run's `info` (its `dataFiles.raw_data`); null without dataFiles. */
export function rawDataOfInfo(info: Dict): DataFileEntry[] | null {
  const dataFiles = asDict(info.dataFiles);
  return dataFiles === null ? null : rawDataEntries(dataFiles);
}
