import { MIB } from '../../../shared/byte-units';

/**
 * The largest files of a run directory that are read whole. Sacred writes these as one JSON
 * document; a file past its cap is not something Sacred wrote (a link to /dev/urandom once took
 * 1.17 GB of memory as config.json) and is reported instead of read. metrics.json is streamed
 * into typed arrays, never held as text, so its cap is much higher; cout.txt and artifacts are
 * read only as a tail or a stream and need none.
 */
export const RUN_FILE_CAPS = {
  'run.json': 64 * MIB,
  'config.json': 64 * MIB,
  'info.json': 256 * MIB,
  'metrics.json': 8 * 1024 * MIB,
} as const;

export type CappedRunFile = keyof typeof RUN_FILE_CAPS;
