import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../support/serve-process';

/**
 * The first `limit` runs of a data dir's cache in `sort`'s order as `source/id`, by the built
 * CLI: the same query engine in another process, what a sorted table must show.
 */
export function cliRunOrder(dataDir: string, sort: string, limit: number): string[] {
  const csv = execFileSync(
    process.execPath,
    [
      path.join(repoRoot, 'dist/cli.mjs'),
      '--data-dir',
      dataDir,
      'runs',
      '--sort',
      sort,
      '--columns',
      'source,id',
      '--format',
      'csv',
      '--limit',
      String(limit),
    ],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: '1' } },
  );
  return csv
    .split('\r\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split(',').slice(0, 2).join('/'));
}
