import type { JsonValue } from '../../../shared/contract';

/** One file an Altar run refers to in `info.dataFiles` (SACRED_FORMAT.md §7). */
export interface DataFileRow {
  kind: 'artifact' | 'minio' | 'local';
  stem: string;
  /** The stored name (hash-time-original), or the file name for raw data. */
  fileName: string;
  type: string | null;
  /** As stored: a human string in French units ("12.30 Mo"). */
  size: string | null;
  /** bucket/folder on MinIO, the folder path for local files; null for artifacts. */
  location: string | null;
  /** From the stored name's YYYYMMDDTHHMMSS, as "2023-04-17 18:13:00"; null when absent. */
  acquired: string | null;
}

type Dict = { [key: string]: JsonValue };

function asDict(value: JsonValue | undefined): Dict | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

function asText(value: JsonValue | undefined): string | null {
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

/**
 * The rows of `info.dataFiles`, artifacts first, then MinIO and local raw data; null when the
 * run has no dataFiles (not an Altar upload). Entries of an unexpected shape are skipped.
 */
export function dataFileRows(info: Dict): DataFileRow[] | null {
  const dataFiles = asDict(info.dataFiles);
  if (dataFiles === null) return null;
  const rows: DataFileRow[] = [];
  for (const [stem, stored] of Object.entries(asDict(dataFiles.artifacts) ?? {})) {
    const fileName = asText(stored);
    if (fileName === null) continue;
    rows.push({
      kind: 'artifact',
      stem,
      fileName,
      type: null,
      size: null,
      location: null,
      acquired: acquisitionTime(fileName),
    });
  }
  const raw = asDict(dataFiles.raw_data);
  for (const kind of ['minio', 'local'] as const) {
    for (const [stem, entry] of Object.entries(asDict(raw?.[kind]) ?? {})) {
      const item = asDict(entry);
      if (item === null) continue;
      const fileName = asText(item.fileName) ?? stem;
      const location =
        kind === 'minio'
          ? [asText(item.bucket), asText(item.minio_folder)].filter((p) => p !== null).join('/')
          : asText(item.local_path);
      rows.push({
        kind,
        stem,
        fileName,
        type: asText(item.type),
        size: asText(item.size),
        location: location === '' ? null : location,
        acquired: acquisitionTime(fileName),
      });
    }
  }
  return rows;
}
