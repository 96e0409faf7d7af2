import { createHash } from 'node:crypto';

/**
 * Opaque, stable id for an artifact URL: the same run and name give the same id across syncs
 * and restarts, and the id reveals no path.
 */
export function artifactId(source: string, runId: string, name: string): string {
  return createHash('sha256')
    .update(`${source}\u0000${runId}\u0000${name}`, 'utf8')
    .digest('hex')
    .slice(0, 32);
}
