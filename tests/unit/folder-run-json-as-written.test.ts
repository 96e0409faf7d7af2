import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runObjectColumns } from '../../main/core/cache/run-columns';
import { readRunDir } from '../../main/core/folder/read-run-dir';

// A run's config, info, result, host and meta are kept as parsed when they already are plain
// JSON, and copied with non-finite numbers as text otherwise: either way the cache's columns
// hold what the user wrote, in the order written, with nothing lost or invented.

describe('readRunDir keeps the JSON of run files as written', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'altar-run-json-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  async function columnsOf(files: Record<string, string>) {
    const dir = join(folder, '1');
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const run = await readRunDir(
      folder,
      { id: '1', dir, fingerprint: 'x' },
      { retries: 0, retryDelayMs: 0 },
    );
    return runObjectColumns(run);
  }

  const RUN = (result: string, meta: string) =>
    `{"status": "COMPLETED", "experiment": {"name": "e", "sources": []}, "host": {"hostname": "h", "gpus": {"2": 1, "1": 0}}, "meta": ${meta}, "result": ${result}, "start_time": "2026-10-07T00:20:30"}`;

  it('plain JSON: the same text in the same key order, "__proto__" kept as a key', async () => {
    const config =
      '{"lr": 0.001, "layers": [64, 32], "__proto__": {"x": 1}, "10": "ten", "2": true, "opt": {"name": "adam", "betas": [0.9, 0.999]}}';
    const columns = await columnsOf({
      'run.json': RUN('{"acc": 0.93, "nested": [1, {"a": null}]}', '{"options": {"--beat": 10}}'),
      'config.json': config,
      'info.json': '{"notes": "ok", "n": -0}',
    });
    expect(columns.config).toBe(JSON.stringify(JSON.parse(config)));
    expect(columns.config).toContain('"__proto__":{"x":1}');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(columns.result).toBe('{"acc":0.93,"nested":[1,{"a":null}]}');
    expect(columns.host_info).toBe('{"hostname":"h","gpus":{"1":0,"2":1}}');
    expect(columns.meta).toBe('{"options":{"--beat":10}}');
    expect(columns.info).toBe('{"notes":"ok","n":0}');
    expect(columns.beat_interval).toBe(10);
  });

  it('NaN, Infinity and numbers too big for a double become the contract strings, deep down', async () => {
    const columns = await columnsOf({
      'run.json': RUN('[1e400, {"x": NaN}]', '{"deep": {"deeper": [[-1e400]]}}'),
      'config.json': '{"a": {"b": [1, 2, {"c": Infinity}]}, "d": "NaN stays text"}',
      'info.json': '{"big": 1e999, "fine": 2}',
    });
    expect(columns.result).toBe('["Infinity",{"x":"NaN"}]');
    expect(columns.meta).toBe('{"deep":{"deeper":[["-Infinity"]]}}');
    expect(columns.config).toBe('{"a":{"b":[1,2,{"c":"Infinity"}]},"d":"NaN stays text"}');
    expect(columns.info).toBe('{"big":"Infinity","fine":2}');
  });
});
