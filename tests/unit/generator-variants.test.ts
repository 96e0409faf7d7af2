import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import type {
  GeneratedSacredFolder,
  SacredFolderVariants,
} from '../../main/core/demo/generate-sacred-folder';
import { parsePythonJson, tempDir } from './generator-support';

const dir = tempDir('gen-variants-');
let folder: GeneratedSacredFolder;
let v: SacredFolderVariants;
const file = (...parts: string[]) => join(dir.path, ...parts);

beforeAll(async () => {
  folder = await generateSacredFolder(dir.path, { runs: 30, seed: 5 });
  v = folder.variants!;
});
afterAll(() => dir.remove());

describe('generated disk variants', () => {
  it('cuts run.json in the middle of a rewrite', () => {
    const text = readFileSync(file(v.truncatedRunJson, 'run.json'), 'utf8');
    expect(text.length).toBeGreaterThan(100);
    expect(text.startsWith('{\n  "artifacts"')).toBe(true);
    expect(() => parsePythonJson(text)).toThrow();
  });

  it('leaves one run.json empty', () => {
    expect(statSync(file(v.emptyRunJson, 'run.json')).size).toBe(0);
    expect(existsSync(file(v.emptyRunJson, 'config.json'))).toBe(true);
  });

  it('cuts metrics.json while run.json stays readable', () => {
    const text = readFileSync(file(v.truncatedMetrics, 'metrics.json'), 'utf8');
    expect(text).toContain('"train.loss_per_batch"');
    expect(() => parsePythonJson(text)).toThrow();
    expect(
      parsePythonJson(readFileSync(file(v.truncatedMetrics, 'run.json'), 'utf8')),
    ).toMatchObject({
      status: 'COMPLETED',
    });
  });

  it('drops config.json from one finished run', () => {
    expect(existsSync(file(v.missingConfig, 'config.json'))).toBe(false);
    expect(existsSync(file(v.missingConfig, 'run.json'))).toBe(true);
  });

  it('leaves an empty directory and a config-only directory without run.json', () => {
    expect(readdirSync(file(v.emptyDir))).toEqual([]);
    expect(readdirSync(file(v.configOnly))).toEqual(['config.json']);
    expect(folder.incompleteDirs).toEqual([v.emptyDir, v.configOnly]);
    expect(folder.runIds).not.toContain(v.emptyDir);
  });

  it('writes the custom-id run with {} metrics and a non-finite config value', () => {
    expect(v.customId).toBe('myrun7');
    expect(readFileSync(file('myrun7', 'metrics.json'), 'utf8')).toBe('{}');
    expect(readFileSync(file('myrun7', 'config.json'), 'utf8')).toMatch(/: -?(NaN|Infinity)\b/u);
    const run = parsePythonJson(readFileSync(file('myrun7', 'run.json'), 'utf8')) as {
      meta: { options: Record<string, unknown> };
    };
    expect(run.meta.options['--id']).toBe('myrun7');
  });

  it('writes a 0.7-style queued directory, template.html, _sources and _resources', () => {
    const queued = parsePythonJson(readFileSync(file('run_ab12cd34', 'run.json'), 'utf8'));
    expect(queued).toMatchObject({ status: 'QUEUED' });
    expect(queued).not.toHaveProperty('start_time');
    expect(readFileSync(file('template.html'), 'utf8')).toContain('<html>');
    expect(readdirSync(file('_sources')).every((name) => /_[0-9a-f]{32}\.py$/u.test(name))).toBe(
      true,
    );
    expect(existsSync(file('_resources'))).toBe(true);
  });

  it('lists the variants among the run ids, after the numbered runs', () => {
    for (const id of [
      v.customId,
      v.legacyQueued,
      v.truncatedRunJson,
      v.emptyRunJson,
      v.missingConfig,
    ]) {
      expect(folder.runIds).toContain(id);
    }
    expect(folder.runIds.filter((id) => /^\d+$/u.test(id)).length).toBe(30 + 4);
  });

  it('writes no variants when they are turned off', async () => {
    const plain = tempDir('gen-plain-');
    try {
      const result = await generateSacredFolder(plain.path, { runs: 5, seed: 5, variants: false });
      expect(result.variants).toBeNull();
      expect(existsSync(join(plain.path, 'myrun7'))).toBe(false);
      expect(existsSync(join(plain.path, 'template.html'))).toBe(false);
      expect(result.runIds).toHaveLength(5);
    } finally {
      plain.remove();
    }
  });
});
