import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import type { GeneratedSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import { parsePythonJson, tempDir } from './generator-support';

const now = Date.UTC(2026, 10, 26, 12, 0, 0);
const dir = tempDir('gen-format-');
let folder: GeneratedSacredFolder;
type Run = Record<string, unknown> & { status: string };
const runs = new Map<string, Run>();

beforeAll(async () => {
  folder = await generateSacredFolder(dir.path, { runs: 500, seed: 3, now, variants: false });
  for (const id of folder.runIds) {
    runs.set(id, parsePythonJson(readFileSync(join(dir.path, id, 'run.json'), 'utf8')) as Run);
  }
});
afterAll(() => dir.remove());

function expectSortedKeys(value: unknown, where: string): void {
  if (Array.isArray(value)) value.forEach((item, i) => expectSortedKeys(item, `${where}[${i}]`));
  else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    expect(keys, where).toEqual([...keys].sort());
    for (const key of keys)
      expectSortedKeys((value as Record<string, unknown>)[key], `${where}.${key}`);
  }
}

const sacredTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/u;

describe('generated FileStorage runs', () => {
  it('numbers run directories from 1 with a few gaps', () => {
    expect(folder.runIds[0]).toBe('1');
    const numbers = folder.runIds.map(Number);
    const last = numbers[numbers.length - 1]!;
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
    expect(last - numbers.length).toBeGreaterThan(3);
    expect(last - numbers.length).toBeLessThan(60);
  });

  it('has roughly the status mix of real folders', () => {
    const count = (predicate: (run: Run) => boolean) =>
      [...runs.values()].filter(predicate).length / runs.size;
    const fresh = (run: Run) =>
      run.status === 'RUNNING' &&
      now - Date.parse(`${String(run.heartbeat ?? run.start_time)}Z`) < 10 * 60_000;
    expect(count((r) => r.status === 'COMPLETED')).toBeGreaterThan(0.5);
    expect(count((r) => r.status === 'COMPLETED')).toBeLessThan(0.7);
    expect(count((r) => r.status === 'FAILED')).toBeGreaterThan(0.09);
    expect(count((r) => r.status === 'FAILED')).toBeLessThan(0.21);
    expect(count((r) => r.status === 'INTERRUPTED')).toBeGreaterThan(0.03);
    expect(count((r) => r.status === 'QUEUED')).toBeGreaterThan(0.02);
    expect(count((r) => r.status === 'TIMEOUT')).toBeGreaterThan(0.004);
    expect(count((r) => r.status === 'PREEMPTED')).toBeGreaterThan(0.01);
    expect(count((r) => r.status === 'RUNNING' && !fresh(r))).toBeGreaterThan(0.03);
    expect(count(fresh)).toBeGreaterThan(0.004);
    expect(count(fresh)).toBeLessThan(0.05);
  });

  it('writes run.json as ASCII with sorted keys and naive isoformat times', () => {
    let withoutFraction = 0;
    let nonAsciiDecoded = false;
    for (const [id, run] of runs) {
      const bytes = readFileSync(join(dir.path, id, 'run.json'));
      expect(
        bytes.every((b) => b < 0x80),
        `run ${id} is ASCII`,
      ).toBe(true);
      expectSortedKeys(run, id);
      for (const key of ['start_time', 'stop_time', 'heartbeat']) {
        const value = run[key];
        if (typeof value === 'string') {
          expect(value, `${id}.${key}`).toMatch(sacredTime);
          if (!value.includes('.')) withoutFraction++;
        }
      }
      if ([...JSON.stringify(run)].some((c) => c.charCodeAt(0) > 0x7f)) nonAsciiDecoded = true;
    }
    expect(withoutFraction).toBeGreaterThan(0);
    expect(nonAsciiDecoded).toBe(true);
  });

  it('gives completed runs a heartbeat just after stop_time and fails with a trace', () => {
    for (const run of runs.values()) {
      if (run.status === 'COMPLETED') {
        const gap =
          Date.parse(`${String(run.heartbeat)}Z`) - Date.parse(`${String(run.stop_time)}Z`);
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThanOrEqual(6);
        expect('result' in run).toBe(true);
      }
      if (run.status === 'FAILED') {
        const trace = run.fail_trace as string[];
        expect(trace.length).toBeGreaterThanOrEqual(3);
        expect(trace.every((line) => line.endsWith('\n'))).toBe(true);
      }
    }
    const chained = [...runs.values()].filter((r) =>
      (r.fail_trace as string[] | undefined)?.some(
        (l) => l.includes('During handling') || l.includes('direct cause'),
      ),
    );
    expect(chained.length).toBeGreaterThan(0);
  });

  it('writes queued runs in the queued shape', () => {
    const queued = [...runs.entries()].filter(([, r]) => r.status === 'QUEUED');
    expect(queued.length).toBeGreaterThan(0);
    for (const [id, run] of queued) {
      expect(Object.keys(run).sort()).toEqual(['command', 'experiment', 'host', 'meta', 'status']);
      const meta = run.meta as Record<string, Record<string, unknown>>;
      expect(meta.queue_time?.['py/object']).toBe('datetime.datetime');
      const sources = (run.experiment as { sources: { 'py/tuple': [string, string] }[] }).sources;
      for (const source of sources) {
        const [name, md5] = source['py/tuple'];
        const copy = readFileSync(join(dir.path, id, name.split('/').pop()!));
        expect(createHash('md5').update(copy).digest('hex')).toBe(md5);
      }
      expect(existsSync(join(dir.path, id, 'cout.txt'))).toBe(false);
    }
  });

  it('stores every referenced source under _sources with its real md5', () => {
    for (const run of runs.values()) {
      if (run.status === 'QUEUED') continue;
      for (const [, stored] of (run.experiment as { sources: [string, string][] }).sources) {
        const md5 = /_([0-9a-f]{32})\.py$/u.exec(stored)?.[1];
        const content = readFileSync(join(dir.path, stored));
        expect(createHash('md5').update(content).digest('hex')).toBe(md5);
      }
    }
    expect(readdirSync(join(dir.path, '_resources')).length).toBeGreaterThan(0);
  });

  it('writes bare NaN/Infinity tokens in some config.json files, each with a seed', () => {
    let nonFinite = 0;
    for (const id of folder.runIds) {
      const text = readFileSync(join(dir.path, id, 'config.json'), 'utf8');
      if (/: -?(NaN|Infinity)\b/u.test(text)) nonFinite++;
      const config = parsePythonJson(text) as Record<string, unknown>;
      expect(Number.isInteger(config.seed)).toBe(true);
    }
    expect(nonFinite).toBeGreaterThan(0);
    expect(nonFinite).toBeLessThan(25);
  });

  it('leaves info.json out of some runs and uses json:// keys in others', () => {
    const withInfo = folder.runIds.filter((id) => existsSync(join(dir.path, id, 'info.json')));
    expect(withInfo.length).toBeGreaterThan(50);
    expect(withInfo.length).toBeLessThan(folder.runIds.length);
    expect(readFileSync(join(dir.path, withInfo[0]!, 'info.json'), 'utf8')).toContain('"json://');
  });

  it('captures output with carriage returns, ANSI colours and U+FFFD', () => {
    const completed = [...runs.entries()].find(([, r]) => r.status === 'COMPLETED')![0];
    const text = readFileSync(join(dir.path, completed, 'cout.txt'), 'utf8');
    expect(text).toContain('\r');
    expect(text).toContain('\x1b[');
    expect(text).toContain('\ufffd');
  });

  it('writes metrics.json with dotted names, and {} for runs that logged nothing', () => {
    let empty = 0;
    let dotted = 0;
    for (const id of folder.runIds) {
      const path = join(dir.path, id, 'metrics.json');
      if (!existsSync(path)) continue;
      const text = readFileSync(path, 'utf8');
      if (text === '{}') empty++;
      if (text.includes('"train.loss"') || text.includes('"val.acc"')) dotted++;
    }
    expect(empty).toBeGreaterThan(0);
    expect(dotted).toBeGreaterThan(0);
  });
});
