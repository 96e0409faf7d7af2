/**
 * `npx tsx tests/bench/folder-sync-bench.ts [--folder-runs N] [--folder DIR] [--code DIR]`: the
 * folder rows of issue 13 through the sync itself (no core, no door), each against its
 * baseline in the same run: first sync against readFileSync + JSON.parse of every JSON file,
 * no-change re-sync against a stat walk, cache bytes per run against the run's raw JSON.
 * `--folder DIR` keeps the generated folder (generated there when missing) so that two runs
 * compare the same files; `--code DIR` runs the sync of another checkout of this repository
 * (e.g. `git archive OLD | tar -x -C DIR`, node_modules linked) for before/after figures.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CacheStore } from '../../main/core/cache/cache-store';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import type { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import { repoRoot } from '../support/serve-process';

const { values } = parseArgs({
  options: {
    'folder-runs': { type: 'string', default: '2000' },
    folder: { type: 'string' },
    code: { type: 'string' },
  },
});
const runs = Number(values['folder-runs']);
const code = path.resolve(values.code ?? repoRoot);
const work = mkdtempSync(path.join(tmpdir(), 'altar-bench-folder-'));
const folder = path.resolve(values.folder ?? path.join(work, 'runs'));

/** CPU milliseconds of the process so far (every thread: the worker and libuv's too). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU milliseconds of the main thread alone (Linux /proc; NaN elsewhere): with the reading in
 * a worker thread, the main thread's share is what a free machine's wall time follows.
 */
function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
      .split(') ')[1]!
      .split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100
  } catch {
    return Number.NaN;
  }
}

/** Wall and CPU ms of `fn`: on a shared machine the CPU figure is the steadier one. */
async function measure(fn: () => unknown): Promise<{ wall: number; cpu: number; main: number }> {
  const wall = performance.now();
  const cpu = cpuMs();
  const main = mainThreadCpuMs();
  await fn();
  return { wall: performance.now() - wall, cpu: cpuMs() - cpu, main: mainThreadCpuMs() - main };
}

function runDirs(): string[] {
  return readdirSync(folder)
    .filter((dir) => !dir.startsWith('_'))
    .map((dir) => path.join(folder, dir))
    .filter((dir) => statSync(dir).isDirectory());
}

/** Plain Node: readFileSync + JSON.parse of every JSON file of every run; characters read. */
function readAndParse(): number {
  let chars = 0;
  for (const dir of runDirs()) {
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue;
      const text = readFileSync(path.join(dir, file), 'utf8');
      chars += text.length;
      try {
        JSON.parse(text);
      } catch {
        // the generated data has broken variants on purpose
      }
    }
  }
  return chars;
}

function statWalk(): void {
  for (const dir of runDirs()) {
    for (const file of readdirSync(dir)) statSync(path.join(dir, file));
  }
}

try {
  if (!existsSync(folder)) await generateSacredFolder(folder, { runs, seed: 3 });
  const { CacheStore: Store } = (await import(
    path.join(code, 'main/core/cache/cache-store.ts')
  )) as { CacheStore: typeof CacheStore };
  const { syncFolderSource: sync } = (await import(
    path.join(code, 'main/core/sync/sync-folder-source.ts')
  )) as { syncFolderSource: typeof syncFolderSource };

  let rawChars = 0;
  const readParse = await measure(() => {
    rawChars = readAndParse();
  });
  // The process's peak RSS so far (a high-water mark): what the sync adds shows after it.
  const peakRssBefore = process.resourceUsage().maxRSS;
  const file = path.join(work, 'cache', 'cache.sqlite');
  const store = Store.open(file);
  store.addSource({ name: 'bench', kind: 'folder', location: folder, createdAt: 'now' });
  let first: Awaited<ReturnType<typeof sync>> | null = null;
  const firstSync = await measure(async () => {
    first = await sync({ store, source: 'bench' });
  });
  const peakRssAfter = process.resourceUsage().maxRSS;
  let unchanged = 0;
  const againSync = await measure(async () => {
    unchanged = (await sync({ store, source: 'bench' })).unchanged;
  });
  const walk = await measure(statWalk);
  store.close();
  const cacheBytes = statSync(file).size;
  const n = (first as { added: number } | null)?.added ?? 0;
  const pair = (a: { wall: number; cpu: number }, b: { wall: number; cpu: number }): string =>
    `wall ${a.wall.toFixed(0)} vs ${b.wall.toFixed(0)} ms = ${(a.wall / b.wall).toFixed(1)}×, ` +
    `CPU ${a.cpu.toFixed(0)} vs ${b.cpu.toFixed(0)} ms = ${(a.cpu / b.cpu).toFixed(1)}×`;
  console.log(`code: ${code}; folder: ${folder} (${n} runs)`);
  console.log(`first sync vs readFileSync + JSON.parse: ${pair(firstSync, readParse)} (goal ≤ 2×)`);
  console.log(
    `first sync, main thread CPU: ${firstSync.main.toFixed(0)} vs ${readParse.main.toFixed(0)} ms = ` +
      `${(firstSync.main / readParse.main).toFixed(1)}× (the rest is the read worker and libuv's pool)`,
  );
  console.log(
    `first sync, peak RSS of the process: ${(peakRssAfter / 1024).toFixed(0)} MB ` +
      `(${(peakRssBefore / 1024).toFixed(0)} MB before it, after the read + parse)`,
  );
  console.log(`no-change re-sync (${unchanged} unchanged) vs stat walk: ${pair(againSync, walk)}`);
  console.log(
    `cache ${(cacheBytes / n / 1024).toFixed(1)} KB per run, raw JSON ` +
      `${(rawChars / n / 1024).toFixed(1)} KB: ${(cacheBytes / rawChars).toFixed(2)}× (goal ≤ 1.5×)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
