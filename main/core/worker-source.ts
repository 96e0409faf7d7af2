import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/** How to start a worker thread: its built file, or source code evaluated through tsx. */
export type WorkerSource = { code: string } | { file: URL };

/**
 * Where to start one of the core's worker threads from. Built (build/build-main.mjs): the
 * entry `builtEntry` next to the bundle holding the core (dist/ for Electron and `serve`,
 * dist/cli-chunks/ → dist/ for the CLI). From source (tsx, vitest): `sourceFile`, a .ts file,
 * through tsx's loader registered in the worker. Null: neither is there (then the caller does
 * the work on its own thread).
 */
export function workerSource(builtEntry: string, sourceFile: URL): WorkerSource | null {
  const here = import.meta.url;
  for (const candidate of [`./${builtEntry}`, `../${builtEntry}`]) {
    const file = new URL(candidate, here);
    if (file.protocol === 'file:' && existsSync(fileURLToPath(file))) return { file };
  }
  if (!here.endsWith('.ts') || !existsSync(fileURLToPath(sourceFile))) return null;
  let tsx: string;
  try {
    // The package's ESM entry (its CommonJS one registers the hooks of the wrong module kind).
    tsx = createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
  } catch {
    return null;
  }
  const api = JSON.stringify(pathToFileURL(tsx).href);
  return {
    code: `import(${api}).then((tsx) => { tsx.register(); return import(${JSON.stringify(sourceFile.href)}); });`,
  };
}

/** Starts a worker thread from `source`; throws as `new Worker` does. */
export function startWorker(source: WorkerSource, options: WorkerOptions): Worker {
  return 'code' in source
    ? new Worker(source.code, { ...options, eval: true })
    : new Worker(source.file, options);
}
