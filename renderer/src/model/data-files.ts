import type { JsonValue } from '../../../shared/contract';
import { dataFileEntries } from '../../../shared/raw-data-files';
import type { DataFileEntry } from '../../../shared/raw-data-files';

export { acquisitionTime, parseHumanSize } from '../../../shared/raw-data-files';

/** One file an Altar run refers to in `info.dataFiles` (SACRED_FORMAT.md §7). */
export type DataFileRow = DataFileEntry;

/**
 * The rows of `info.dataFiles`, artifacts first, then MinIO and local raw data; null when the
 * run has no dataFiles (not an Altar upload). Entries of an unexpected shape are skipped.
 */
export function dataFileRows(info: { [key: string]: JsonValue }): DataFileRow[] | null {
  return dataFileEntries(info);
}
