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
  console.log(`${method}: ok ${body.ok}, answered at ${seconds()} s`);
};
try {
  while (url === null) await new Promise((resolve) => setTimeout(resolve, 50));
  await call('queryRuns', { limit: 200 });
  await new Promise((resolve) => setTimeout(resolve, Number(values['wait-ms'])));
  await call('listColumns', {});
  await new Promise((resolve) => setTimeout(resolve, 5000));
  console.log(`serve RSS ${statusMb('VmRSS')} MB, peak ${statusMb('VmHWM')} MB`);
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
