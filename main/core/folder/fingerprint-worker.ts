import { Worker } from 'node:worker_threads';

/** One directory to fingerprint: its path, and whether it may be a link to check by stat. */
export interface FingerprintJob {
  dir: string;
  /** The folder listing said "symbolic link": only a link to a directory is a run. */
  link: boolean;
}

/**
 * The fingerprint rule of scan-run-dirs.ts (keep the two the same: a cached run whose
 * fingerprint comes out different is read again at the next sync), in plain JavaScript for a
 * worker thread started from source: the worker needs no file of its own in the bundles.
 * Synchronous stats are about three times cheaper than fs.promises.stat, and a 20k-run
 * re-sync is 200k stats; in a worker they never block the core's thread, even on a share that
 * stops answering.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, statSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { join } = require('node:path');
const runFiles = new Set(workerData.runFiles);
function fingerprint(job) {
  if (job.link) {
    try {
      if (!statSync(job.dir).isDirectory()) return 'not-a-run';
    } catch {
      return 'not-a-run';
    }
  }
  let names;
  try {
    names = readdirSync(job.dir);
  } catch {
    return null;
  }
  if (names.length > 0 && !names.some((name) => runFiles.has(name))) return null;
  names.sort();
  const hash = createHash('sha1');
  for (const name of names) {
    try {
      const info = statSync(join(job.dir, name));
      hash.update(name + '\\u0000' + info.size + '\\u0000' + info.mtimeMs + '\\n');
    } catch (error) {
      if (!error || error.code !== 'ENOENT') hash.update(name + '\\u0000unreadable\\n');
    }
  }
  return hash.digest('hex');
}
parentPort.on('message', (jobs) => {
  parentPort.postMessage(jobs.map(fingerprint));
});
`;

/** What the worker answers for a link that does not lead to a directory. */
export const NOT_A_RUN = 'not-a-run';

/**
 * Fingerprints of the directories, in order (null: gone or not a run; NOT_A_RUN: a link to no
 * directory), computed in a worker thread that lives for this call only.
 */
export async function fingerprintInWorker(
  jobs: readonly FingerprintJob[],
  runFiles: readonly string[],
): Promise<(string | null)[]> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { runFiles } });
  try {
    return await new Promise<(string | null)[]>((resolve, reject) => {
      worker.once('message', (result: (string | null)[]) => resolve(result));
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the folder scan's worker ended early (exit code ${code})`)),
      );
      worker.postMessage(jobs);
    });
  } finally {
    void worker.terminate();
  }
}
