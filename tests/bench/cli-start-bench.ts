/**
 * `npx tsx tests/bench/cli-start-bench.ts [--repeat N] [--serve-runs R] [--cli FILE]` (after
 * `npm run build`; --cli times another build of the CLI, e.g. an older one to compare):
 * the built CLI's start-up, spawned again and again like hyperfine, each figure beside
 * `node -e 0` measured in the same run (median of N; the machine is shared and noisy, so the
 * ratio is what to read): `--version`, `sources list` on an empty data dir, and `serve` from
 * spawn to its printed URL, on an empty cache and on a cache of R generated folder runs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAltarCore } from '../../main/core/altar-core';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';

const root = path.resolve(import.meta.dirname, '../..');
let cli = path.join(root, 'dist/cli.mjs');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function spawnMs(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return performance.now() - started;
}

/** Spawn → the URL line on stdout; the server is stopped (SIGTERM) after. */
function serveToUrlMs(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [cli, '--data-dir', dataDir, 'serve', '--port', '0', '--no-open'],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CI: '1' } },
    );
    let out = '';
    let ms: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ms === null && /serving at http/u.test(out)) {
        ms = performance.now() - started;
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      if (ms !== null) resolve(ms);
      else reject(new Error(`serve exited with ${code}: ${out}`));
    });
  });
}

/** Alternates the measured command with the baseline, so both see the same machine load. */
async function paired(
  repeat: number,
  measure: () => number | Promise<number>,
): Promise<{ ms: number; nodeMs: number }> {
  const ms: number[] = [];
  const nodeMs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    nodeMs.push(spawnMs(['-e', '0']));
    ms.push(await measure());
  }
  return { ms: median(ms), nodeMs: median(nodeMs) };
}

export async function runCliStartBench(repeat: number, serveRuns: number): Promise<void> {
  if (!existsSync(cli)) throw new Error('cli-start-bench: run `npm run build` first');
  const work = mkdtempSync(path.join(tmpdir(), 'altar-cli-bench-'));
  try {
    const empty = path.join(work, 'empty');
    const filled = path.join(work, 'filled');
    const folder = path.join(work, 'runs');
    await generateSacredFolder(folder, { runs: serveRuns, seed: 5 });
    const core = createAltarCore({ dataDir: filled, door: 'direct' });
    await core.addFolderSource({ name: 'bench', path: folder });
    await core.syncSources({ names: ['bench'] });
    await core.close();

    const rows: [string, { ms: number; nodeMs: number }][] = [
      ['--version', await paired(repeat, () => spawnMs([cli, '--version']))],
      [
        'sources list (empty data dir)',
        await paired(repeat, () => spawnMs([cli, '--data-dir', empty, 'sources', 'list'])),
      ],
      ['serve start → URL (empty cache)', await paired(repeat, () => serveToUrlMs(empty))],
      [`serve start → URL (${serveRuns} runs)`, await paired(repeat, () => serveToUrlMs(filled))],
    ];
    console.log(`\nCLI start (built dist/cli.mjs), median of ${repeat} spawns each`);
    console.log('| command | time | node -e 0 (same run) | ratio |\n|---|---|---|---|');
    for (const [what, { ms, nodeMs }] of rows) {
      console.log(
        `| ${what} | ${ms.toFixed(0)} ms | ${nodeMs.toFixed(0)} ms | ${(ms / nodeMs).toFixed(2)}× |`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.filename === path.resolve(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      repeat: { type: 'string', default: '9' },
      'serve-runs': { type: 'string', default: '2000' },
      cli: { type: 'string' },
    },
  });
  if (values.cli !== undefined) cli = path.resolve(values.cli);
  await runCliStartBench(Number(values.repeat), Number(values['serve-runs']));
}
