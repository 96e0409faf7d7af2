import { join } from 'node:path';

/** Where the core keeps its files inside the host-provided data directory. */
export function cacheFilePath(dataDir: string): string {
  return join(dataDir, 'cache.sqlite');
}

export function demoFolderPath(dataDir: string): string {
  return join(dataDir, 'demo');
}
