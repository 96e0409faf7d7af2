/**
 * The core's reads behind issue 13's two 20-run plot rows, in CPU time (process.cpuUsage),
 * which a loaded machine inflates far less than wall time:
 * `npx tsx tests/bench/plot-read-cpu.ts --cache COPY/cache.sqlite [--max-points 1495]`
 * on a COPY of a bench:ui plot cache (D/t…/plot/cache.sqlite; the reads may write levels).
 * Prints, for 8 rounds in one process, the CPU of reading every metric of the cache as the
 * plot's first request does (the full range) and as the bench's drag zoom refines (the
 * middle 10 % of the steps, moved a little each round so no round repeats the last). Round 0
 * is what a fresh `serve` pays on its first plot and first zoom. Nothing is asserted.
 */
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import { MetricRangeStore } from '../../main/core/cache/metric-range-store';

const { values } = parseArgs({
  options: { cache: { type: 'string' }, 'max-points': { type: 'string', default: '1495' } },
});
if (values.cache === undefined) {
  console.error('usage: plot-read-cpu.ts --cache COPY/cache.sqlite [--max-points N]');
  process.exit(2);
}
const maxPoints = Number(values['max-points']);
const db = new Database(values.cache);
const metrics = db.prepare('SELECT source, run_id, name, count FROM metrics').all() as {
  source: string;
  run_id: string;
  name: string;
  count: number;
}[];
const lastStep = Math.max(...metrics.map((m) => m.count)) - 1;

function cpuMs(read: (ranges: MetricRangeStore) => void): number {
  const ranges = new MetricRangeStore(db);
  const before = process.cpuUsage();
  read(ranges);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const full: string[] = [];
const zoom: string[] = [];
for (let round = 0; round < 8; round++) {
  full.push(
    cpuMs((ranges) => {
      for (const m of metrics) ranges.read(m.source, m.run_id, m.name, null, maxPoints);
    }).toFixed(0),
  );
  const shift = round * 1000;
  const range = { xMin: 0.45 * lastStep + shift, xMax: 0.55 * lastStep + shift };
  zoom.push(
    cpuMs((ranges) => {
      for (const m of metrics) ranges.read(m.source, m.run_id, m.name, range, maxPoints);
    }).toFixed(0),
  );
}
console.log(`${metrics.length} metrics, ${maxPoints} points each; CPU ms by round 0..7`);
console.log(`plot (full range): ${full.join(' ')}`);
console.log(`zoom (10 % range): ${zoom.join(' ')}`);
