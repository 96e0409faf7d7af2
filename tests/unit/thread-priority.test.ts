// A background worker thread lowers its own priority so the window's threads get the CPU
// first; the rest of the process keeps its own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/** The nice value of the calling thread (field 19 of /proc/thread-self/stat). */
function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

function inWorker(): Promise<{ lowered: boolean; nice: number }> {
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const module = new URL('../../main/core/thread-priority.ts', import.meta.url).href;
  const code = `
    import(${JSON.stringify(pathToFileURL(tsx).href)}).then(async (tsx) => {
      tsx.register();
      const { lowerThisThreadsPriority } = await import(${JSON.stringify(module)});
      const { readFileSync } = await import('node:fs');
      const { parentPort } = await import('node:worker_threads');
      const lowered = lowerThisThreadsPriority();
      parentPort.postMessage({ lowered, stat: readFileSync('/proc/thread-self/stat', 'utf8') });
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (answer: { lowered: boolean; stat: string }) => {
      resolve({ lowered: answer.lowered, nice: niceOf(answer.stat) });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe.runIf(process.platform === 'linux')('a background thread at the lowest priority', () => {
  it('lowers that thread to nice 19 and leaves the main thread as it was', async () => {
    const before = niceOf(readFileSync('/proc/thread-self/stat', 'utf8'));
    const worker = await inWorker();
    expect(worker).toEqual({ lowered: true, nice: 19 });
    expect(niceOf(readFileSync('/proc/thread-self/stat', 'utf8'))).toBe(before);
  });
});
