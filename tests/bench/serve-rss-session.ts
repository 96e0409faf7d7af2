/**
 * Where `serve`'s memory is after bench:ui's table session (issue 13's RSS row): the same
 * session (tests/bench/ui-bench-table-session.ts: first rows, a fling to the bottom, the column
 * picker, two columns added and sorted) on a pristine copy of a table cache, with the serve
 * process's /proc/PID/status sampled every 50 ms (peak resident, split anonymous / file-backed),
 * then, before it stops: process.memoryUsage(), V8's heap spaces and the resident bytes of each
 * mapping (/proc/PID/smaps grouped: the V8 heap and malloc's anonymous memory, the SQLite file,
 * node's code). Needs `npm run build`. Nothing is asserted.
 *   npx tsx tests/bench/serve-rss-session.ts --table-dir DATA/t100000-10-p20x1000000/table
 *     [--work /tmp/serve-rss] [--runs 100000] [--rounds 1] [--snapshot]
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultChromium } from './renderer-memory-bench';
import { launchBrowser } from './ui-bench-page';
import { runTableSession } from './ui-bench-table-session';

const { values } = parseArgs({
  options: {
    'table-dir': { type: 'string' },
    work: { type: 'string', default: '/tmp/serve-rss' },
    runs: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '1' },
    // A heap snapshot of the serve process after the session (slow at 100k runs; ~100 MB file).
    snapshot: { type: 'boolean', default: false },
  },
});
if (values['table-dir'] === undefined) throw new Error('--table-dir DIR is required');
const MB = 1024 * 1024;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;

const STATUS_FIELDS = ['VmRSS', 'VmHWM', 'RssAnon', 'RssFile', 'RssShmem'] as const;
type Status = Record<(typeof STATUS_FIELDS)[number], number>;

function status(pid: number): Status | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const out = {} as Status;
    for (const field of STATUS_FIELDS) {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'mu').exec(text);
      out[field] = Number(match?.[1] ?? NaN) * 1024;
    }
    return out;
  } catch {
    return null;
  }
}

/** The serve process this driver started (the child whose command line says `serve`). */
function servePid(): number | null {
  for (const entry of readdirNumbers('/proc')) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes('serve')) return entry;
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

function readdirNumbers(dir: string): number[] {
  return readdirSync(dir)
    .filter((name) => /^\d+$/u.test(name))
    .map(Number);
}

/** Resident bytes of each kind of mapping, from /proc/PID/smaps. */
function residentByMapping(pid: number): Map<string, number> {
  const groups = new Map<string, number>();
  let current = 'anonymous';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/u.exec(line);
    if (header !== null) {
      const name = header[1] ?? '';
      current =
        name === ''
          ? 'anonymous (V8 heap, malloc arenas, Buffers)'
          : name.endsWith('.sqlite') || name.includes('.sqlite-')
            ? `SQLite file ${path.basename(name)}`
            : name.startsWith('[')
              ? name
              : name.endsWith('.node')
                ? `native addon ${path.basename(name)}`
                : name.includes('/node') && !name.includes('.so')
                  ? 'node binary'
                  : name.includes('.so')
                    ? 'shared libraries'
                    : `file ${name}`;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/u.exec(line);
    if (rss !== null) groups.set(current, (groups.get(current) ?? 0) + Number(rss[1]) * 1024);
  }
  return groups;
}

async function waitFor(file: string): Promise<void> {
  for (let i = 0; i < 6000 && !existsSync(file); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const work = path.resolve(values.work);
const probeDir = path.join(work, 'probe');
rmSync(probeDir, { recursive: true, force: true });
mkdirSync(probeDir, { recursive: true });
process.env.NODE_OPTIONS = [
  process.env.NODE_OPTIONS ?? '',
  `--import ${path.resolve(import.meta.dirname, 'serve-memory-probe.mjs')}`,
].join(' ');
process.env.ALTAR_MEMORY_PROBE_DIR = probeDir;
if (values.snapshot) process.env.ALTAR_MEMORY_PROBE_SNAPSHOT = '1';

const browser = await launchBrowser(defaultChromium());
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    const sessionDir = path.join(work, 'table-session');
    rmSync(sessionDir, { recursive: true, force: true });
    cpSync(path.resolve(values['table-dir']), sessionDir, { recursive: true });
    // The copy's own clean-close stamp, as bench:ui gives it (no quick_check before the URL).
    const cache = path.join(sessionDir, 'cache.sqlite');
    const copied = statSync(cache);
    writeFileSync(`${cache}.clean`, JSON.stringify({ size: copied.size, mtimeMs: copied.mtimeMs }));

    rmSync(probeDir, { recursive: true, force: true });
    mkdirSync(probeDir, { recursive: true });
    const peaks: Partial<Status> = {};
    let samples = 0;
    const sampler = setInterval(() => {
      const pid = servePid();
      const now = pid === null ? null : status(pid);
      if (now === null) return;
      samples += 1;
      for (const field of STATUS_FIELDS) peaks[field] = Math.max(peaks[field] ?? 0, now[field]);
    }, 50);
    let report = '';
    const session = await runTableSession(
      browser,
      sessionDir,
      Number(values.runs),
      undefined,
      1500,
      async (pid) => {
        if (pid === undefined) return;
        const end = status(pid);
        const mappings = residentByMapping(pid);
        process.kill(pid, 'SIGUSR2');
        // Each round's serve process is new: its first answer is memory-1.json.
        const file = path.join(probeDir, `memory-1.json`);
        await waitFor(file);
        const probe = JSON.parse(readFileSync(file, 'utf8')) as {
          memoryUsage: NodeJS.MemoryUsage;
          heapSpaces: Array<{ name: string; size: number; used: number }>;
          snapshot: string | null;
          atPeak: (NodeJS.MemoryUsage & { atMs: number; heapSpaces: string }) | null;
          timeline: Array<NodeJS.MemoryUsage & { atMs: number; request: string }>;
        };
        const usage = (u: NodeJS.MemoryUsage): string =>
          (['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const)
            .map((k) => `${k} ${mb(u[k])}`)
            .join(', ');
        const lines = [
          `after the session: ${STATUS_FIELDS.map((f) => `${f} ${mb(end?.[f] ?? NaN)}`).join(', ')}`,
          `peaks sampled (${samples} samples): ${STATUS_FIELDS.map((f) => `${f} ${mb(peaks[f] ?? NaN)}`).join(', ')}`,
          `process.memoryUsage(): ${Object.entries(probe.memoryUsage)
            .map(([k, v]) => `${k} ${mb(v)}`)
            .join(', ')}`,
          ...(probe.atPeak === null
            ? []
            : [
                `at the peak (${(probe.atPeak.atMs / 1000).toFixed(1)} s): ${usage(probe.atPeak)}`,
                `  V8 heap spaces then: ${probe.atPeak.heapSpaces}`,
              ]),
          'timeline (each change > 4 MB):',
          ...probe.timeline.map(
            (u) => `  ${(u.atMs / 1000).toFixed(1).padStart(6)} s  ${usage(u)}  (${u.request})`,
          ),
          `V8 heap spaces (size/used): ${probe.heapSpaces
            .filter((s) => s.size > 0)
            .map((s) => `${s.name} ${mb(s.size)}/${mb(s.used)}`)
            .join(', ')}`,
          'resident by mapping:',
          ...[...mappings.entries()]
            .sort((a, b) => b[1] - a[1])
            .filter(([, bytes]) => bytes >= MB / 2)
            .map(([name, bytes]) => `  ${mb(bytes).padStart(7)}  ${name}`),
        ];
        if (probe.snapshot !== null) lines.push(`heap snapshot: ${probe.snapshot}`);
        report = lines.join('\n');
      },
    );
    clearInterval(sampler);
    console.log(
      `round ${round + 1}: bench:ui's figures (${session.columnsShown} columns shown): RSS ${mb(session.serveRss ?? NaN)}, peak ${mb(session.servePeakRss ?? NaN)}`,
    );
    console.log(report);
  }
} finally {
  await browser.close();
}
