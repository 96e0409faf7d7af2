/**
 * The memory a first start's column-catalog build costs (issue 13's RSS row: `serve` builds it
 * in idle time at start, and its garbage set the session's peak): builds the catalog of every
 * source of a copy of a cache in slices as `serve` does, then prints the resident peak, the heap
 * in use plus array buffers at its peak (no forced GC: what the process really held) and, with
 * a forced GC, what the build keeps. Nothing is asserted.
 *   node --expose-gc --import tsx tests/bench/catalog-build-memory.ts --table-dir DIR/table
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { BackgroundCatalogBuild } from '../../main/core/query/background-catalog-build';

const { values } = parseArgs({ options: { 'table-dir': { type: 'string' } } });
if (values['table-dir'] === undefined) throw new Error('--table-dir DIR is required');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const MB = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
const vmHwm = (): number =>
  Number(/^VmHWM:\s+(\d+) kB/mu.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;

const work = mkdtempSync(path.join(tmpdir(), 'altar-catalog-memory-'));
try {
  const dir = path.resolve(values['table-dir']);
  for (const name of readdirSync(dir).filter((file) => file.startsWith('cache.sqlite'))) {
    cpSync(path.join(dir, name), path.join(work, name));
  }
  const db = new Database(path.join(work, 'cache.sqlite'));
  db.exec('DELETE FROM column_catalogs; DELETE FROM column_catalog_changes');
  gc();
  const before = process.memoryUsage();
  let peakHeld = 0;
  const build = new BackgroundCatalogBuild(db, {
    afterSlice: async () => {
      const now = process.memoryUsage();
      peakHeld = Math.max(peakHeld, now.heapUsed + now.arrayBuffers);
    },
  });
  const sources = db.prepare('SELECT name FROM sources').pluck().all() as string[];
  const started = performance.now();
  await build.ensure(sources);
  const ms = performance.now() - started;
  gc();
  const after = process.memoryUsage();
  // glibc's heap ([heap]) keeps what SQLite and array buffers freed: resident, not in use.
  const brkHeap = Number(
    /\[heap\]\n(?:.*\n)*?Rss:\s+(\d+) kB/u.exec(readFileSync('/proc/self/smaps', 'utf8'))?.[1] ??
      NaN,
  );
  console.log(
    `${sources.length} sources built in ${ms.toFixed(0)} ms; rss ${MB(before.rss)} → peak ` +
      `${MB(vmHwm())}; heap used + array buffers at peak ${MB(peakHeld)} (before ` +
      `${MB(before.heapUsed + before.arrayBuffers)}, after a GC ${MB(after.heapUsed + after.arrayBuffers)}); ` +
      `glibc's heap then ${MB(brkHeap * 1024)}, V8's heap ${MB(after.heapTotal)}`,
  );
  db.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
