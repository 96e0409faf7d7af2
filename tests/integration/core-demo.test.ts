import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAltarCore, type AltarCore } from '../../main/core/altar-core';
import { methods } from '../../shared/contract';
import { AltarError } from '../../shared/errors';
import { tempDir } from './core-test-folder';

describe('createDemo', () => {
  let dataDir: string;
  let core: AltarCore;

  beforeEach(() => {
    dataDir = tempDir('demo');
    core = createAltarCore({ dataDir, door: 'direct' });
  });

  afterEach(async () => {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates a Sacred folder in the data dir, registers and syncs it', async () => {
    const info = await core.createDemo({ runs: 12 });
    expect(methods.createDemo.result.parse(info)).toBeTruthy();
    expect(info).toMatchObject({ name: 'demo', kind: 'folder', location: join(dataDir, 'demo') });
    expect(info.state).toBe('idle');
    expect(info.online).toBe(true);
    // 12 regular runs plus the broken variants the generator adds.
    expect(info.runCount).toBeGreaterThanOrEqual(12);
    expect(info.unreadableCount).toBeGreaterThan(0);
    const listed = await core.listRuns({ source: 'demo' });
    methods.listRuns.result.parse(listed);
    expect(listed.total).toBe(info.runCount);
    const statuses = new Set(listed.runs.map((r) => r.status));
    expect(statuses.has('COMPLETED')).toBe(true);

    const withMetric = listed.runs.find((r) => r.metrics.length > 0);
    expect(withMetric).toBeDefined();
    const metric = withMetric!.metrics[0]!;
    const series = await core.getMetric({ source: 'demo', id: withMetric!.id, name: metric.name });
    expect(series.totalPoints).toBe(metric.count);
  });

  it('replaces the demo source when asked again', async () => {
    await core.createDemo({ runs: 5 });
    const first = (await core.listRuns({ source: 'demo' })).total;
    const again = await core.createDemo({ runs: 30 });
    expect(again.runCount).toBeGreaterThan(first);
    expect((await core.listSources({})).map((s) => s.name)).toEqual(['demo']);
    expect(existsSync(join(dataDir, 'demo'))).toBe(true);
  });

  it('refuses a second demo while one is being created', async () => {
    const first = core.createDemo({ runs: 5 });
    const second = await core.createDemo({ runs: 5 }).catch((e: unknown) => e);
    expect((second as AltarError).code).toBe('SYNC_IN_PROGRESS');
    expect((await first).name).toBe('demo');
  });

  it('rejects a bad run count', async () => {
    const error = await core.createDemo({ runs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AltarError);
    expect((error as AltarError).code).toBe('INVALID_ARGUMENT');
  });
});
