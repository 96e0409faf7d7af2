/* global URL, fetch, setTimeout */
// `serve`'s resident memory through what a window does first (issue 13): the built CLI serves a
// copy of a cache, the run table's first page is asked, the column catalog builds in the
// background, the column picker opens after --wait-ms; prints the peak (VmHWM) and the RSS at
// the end, sampled from /proc every 100 ms. Nothing is asserted.
//   node tests/bench/serve-rss-probe.mjs --cache DATA/t100000-10-p2x1000/table/cache.sqlite [--cli dist/cli.mjs]
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    cache: { type: 'string' },
    cli: { type: 'string', default: 'dist/cli.mjs' },
    'wait-ms': { type: 'string', default: '45000' },
    // What bench:ui's table session does instead (its peak was ~90 MB above this probe's):
    // the window's informative columns, a fling through every page, two columns added and sorted.
    window: { type: 'boolean', default: false },
    runs: { type: 'string', default: '100000' },
    // The window asks the catalog while its first page is still loading (the sources' first load).
    together: { type: 'boolean', default: false },
    // Pages of the fling asked at once (the window asks every page its next 600 ms will reach).
    'fling-parallel': { type: 'string', default: '4' },
  },
});
if (values.cache === undefined) throw new Error('--cache FILE is required');
const dataDir = mkdtempSync(join(tmpdir(), 'altar-serve-rss-'));
const cache = join(dataDir, 'cache.sqlite');
copyFileSync(values.cache, cache);
// The copy's own clean-close stamp, as the UI bench gives it (no quick_check before the URL).
const copied = statSync(cache);
writeFileSync(`${cache}.clean`, JSON.stringify({ size: copied.size, mtimeMs: copied.mtimeMs }));

const child = spawn(
  process.execPath,
  [values.cli, '--data-dir', dataDir, 'serve', '--port', '0', '--no-open'],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CI: '1' } },
);
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const statusMb = (key) => {
  const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(key));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1]) / 1024);
};
let url = null;
child.stdout.on('data', (chunk) => {
  const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(String(chunk));
  if (match) {
    url = new URL(match[1]);
    console.log(`URL after ${seconds()} s`);
  }
});
const call = async (method, args) => {
  const response = await fetch(new URL(`/api/${method}`, url.origin), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${url.searchParams.get('token')}`,
    },
    body: JSON.stringify(args),
  });
  const body = await response.json();
  if (!values.window) console.log(`${method}: ok ${body.ok}, answered at ${seconds()} s`);
  return body.result;
};
const phase = (what) =>
  console.log(
    `${what}: at ${seconds()} s, RSS ${statusMb('VmRSS')} MB, peak ${statusMb('VmHWM')} MB`,
  );

/** The window's start as bench:ui drives it, with the peak after each step. */
async function windowSession() {
  // The window asks the catalog at once and adds the columns that tell runs apart.
  let catalog;
  if (values.together) {
    [, { columns: catalog }] = await Promise.all([
      call('queryRuns', { limit: 200 }),
      call('listColumns', {}),
    ]);
    phase('first page and listColumns asked together');
  } else {
    await call('queryRuns', { limit: 200 });
    phase('first page (7 built-in columns)');
    ({ columns: catalog } = await call('listColumns', {}));
    phase('listColumns (catalog)');
  }
  const ids = catalog.map((column) => column.id);
  const configs = ids.filter((id) => id.startsWith('config.')).slice(0, 5);
  const metrics = ids.filter((id) => /^metrics\.[^.]+\.last$/u.test(id)).slice(0, 4);
  const shown = ['source', 'id', 'experiment', 'status', 'start_time', 'duration', 'host'];
  const columns = [...shown, ...configs, ...metrics];
  await call('queryRuns', { limit: 200, columns });
  phase(`first page, ${columns.length} columns`);
  await new Promise((resolve) => setTimeout(resolve, 15000));
  phase('15 s idle (sort keys of the shown columns built)');
  const runs = Number(values.runs);
  const parallel = Number(values['fling-parallel']);
  for (let offset = 0; offset < runs; offset += 200 * parallel) {
    await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        call('queryRuns', { offset: offset + 200 * i, limit: 200, columns }),
      ),
    );
  }
  phase('fling: every page of 200 rows');
  for (const added of ['config.g1.p4', 'metrics.metric_0.last']) {
    columns.push(added);
    await call('queryRuns', { limit: 200, columns });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await call('queryRuns', { limit: 200, columns, sort: [{ column: added, desc: false }] });
    phase(`${added} added and sorted`);
  }
  await new Promise((resolve) => setTimeout(resolve, 5000));
  phase('5 s later');
}
try {
  while (url === null) await new Promise((resolve) => setTimeout(resolve, 50));
  if (values.window) await windowSession();
  else {
    await call('queryRuns', { limit: 200 });
    await new Promise((resolve) => setTimeout(resolve, Number(values['wait-ms'])));
    await call('listColumns', {});
    await new Promise((resolve) => setTimeout(resolve, 5000));
    console.log(`serve RSS ${statusMb('VmRSS')} MB, peak ${statusMb('VmHWM')} MB`);
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
