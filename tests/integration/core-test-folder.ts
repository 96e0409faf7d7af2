import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** Helpers shared by the core integration tests: temp dirs and Sacred run folders. */
export const samplesDir = fileURLToPath(new URL('../fixtures/sacred-samples', import.meta.url));

const madeDirs: string[] = [];

// Every test owns its data, also once it is done: the temp dirs a test file made are removed
// after its last test. Registered when the file imports this module, before the file's own
// hooks, so it runs after them (vitest runs after-hooks in reverse order): the cores and
// stores they close are closed by then.
afterAll(() => {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new temp dir, removed after the test file that made it. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `altar-${prefix}-`));
  madeDirs.push(dir);
  return dir;
}

/** A writable copy of one of the real Sacred sample folders. */
export function copySample(name: string, into: string): string {
  const target = join(into, name);
  cpSync(join(samplesDir, name), target, { recursive: true });
  return target;
}

export interface SyntheticRunOptions {
  points?: number;
  /** Index of a NaN value in the "loss" metric, if any. */
  nanAt?: number[];
  spikeAt?: number;
  cout?: string;
  status?: string;
  startTime?: string;
}

/**
 * One run directory as FileStorageObserver writes it (SACRED_FORMAT.md §2): run.json,
 * config.json, cout.txt and metrics.json with bare NaN tokens like Python's json module.
 */
export function writeSyntheticRun(folder: string, id: string, options: SyntheticRunOptions = {}) {
  const dir = join(folder, id);
  mkdirSync(dir, { recursive: true });
  const points = options.points ?? 10;
  const run = {
    artifacts: [],
    command: 'main',
    experiment: {
      base_dir: '/tmp/exp',
      dependencies: [],
      mainfile: 'train.py',
      name: 'synth',
      repositories: [],
      sources: [],
    },
    heartbeat: '2026-01-01T00:10:00.000001',
    host: { ENV: {}, cpu: 'cpu', hostname: 'box', os: ['Linux', 'Linux'], python_version: '3.11' },
    meta: { command: 'main', options: { '--beat-interval': '10' } },
    resources: [],
    result: 1.5,
    start_time: options.startTime ?? '2026-01-01T00:00:00.000001',
    status: options.status ?? 'COMPLETED',
    stop_time: '2026-01-01T00:10:00',
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run, null, 2));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ seed: 1, lr: 0.1, run: id }, null, 2));
  writeFileSync(join(dir, 'cout.txt'), options.cout ?? `output of ${id}\n`);
  const nan = new Set(options.nanAt ?? []);
  const steps: string[] = [];
  const values: string[] = [];
  const stamps: string[] = [];
  for (let i = 0; i < points; i++) {
    steps.push(String(i));
    const value = nan.has(i)
      ? 'NaN'
      : i === options.spikeAt
        ? '1000.5'
        : String(1 + Math.sin(i / 50));
    values.push(value);
    const seconds = String(Math.floor(i / 1000) % 60).padStart(2, '0');
    stamps.push(`"2026-01-01T00:00:${seconds}.${String(i % 1000).padStart(3, '0')}000"`);
  }
  writeFileSync(
    join(dir, 'metrics.json'),
    `{"loss": {"steps": [${steps.join(', ')}], "timestamps": [${stamps.join(', ')}], "values": [${values.join(', ')}]}}`,
  );
  return dir;
}
