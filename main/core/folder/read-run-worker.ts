/**
 * Entry of the folder sync's read worker (built as dist/folder-read-worker.mjs; started by
 * run-reader-worker.ts). It reads run directories with the same reader as the core's thread, so
 * the cache gets the same content, while the core's thread writes the runs read before: on two
 * cores the reading and the SQLite writes of a first sync overlap (issue 13).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { useSynchronousFileCalls } from '../files/file-calls';
import { FolderReadContext } from './folder-read-context';
import type { RunDirEntry } from './parsed-run';
import { readOrExplain } from './read-or-explain';
import type { ReadRunDirOptions } from './read-run-dir';
import { toWireRun } from './run-wire';
import type { ReadJob, ReadAnswer, ReadWorkerData } from './run-reader-worker';

const port = parentPort;
if (port !== null) {
  const data = workerData as ReadWorkerData;
  // This thread only reads runs: blocking it on a file call stalls nobody, and a synchronous
  // call costs about half of an async one's hand-off to libuv's pool and back.
  useSynchronousFileCalls();
  const options: ReadRunDirOptions = {
    allowedFolders: data.allowedFolders,
    source: data.source,
    // One context for every run of this sync, as on the core's thread.
    context: new FolderReadContext(data.allowedFolders),
  };
  port.on('message', (job: ReadJob) => {
    void read(job.folder, job.entry).then(
      (answer) => {
        if (answer === null) {
          port.postMessage({ id: job.id, run: null } satisfies ReadAnswer);
          return;
        }
        const { wire, transfer } = toWireRun(answer);
        port.postMessage({ id: job.id, run: wire } satisfies ReadAnswer, transfer);
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        port.postMessage({ id: job.id, error: message } satisfies ReadAnswer);
      },
    );
  });

  function read(folder: string, entry: RunDirEntry) {
    return readOrExplain(folder, entry, options);
  }
}
