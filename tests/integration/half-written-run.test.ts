// Issue 11 item 9: Sacred rewrites run.json (and config.json, metrics.json) in place, so a sync
// can read a half-written file. A run that was readable keeps its last good cached copy, says
// so, and is read again at the next sync.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { writeGoodRun } from '../support/hostile-run-folders';
import { tempDir } from './core-test-folder';

let root: string;
let folder: string;
let core: AltarCore;

beforeEach(async () => {
  root = tempDir('half-written');
  folder = join(root, 'runs');
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct' });
  writeGoodRun(folder, '1');
  await core.addFolderSource({ name: 'lab', path: folder });
  await core.syncSources({});
});

afterEach(async () => {
  await core.close();
});

function cut(file: string, keep: number): void {
  const path = join(folder, '1', file);
  writeFileSync(path, readFileSync(path, 'utf8').slice(0, keep));
}

describe('a half-written file in a run that was readable', () => {
  it('keeps the good copy of a truncated run.json, says so, and reads it again next sync', async () => {
    cut('run.json', 60);
    const [summary] = await core.syncSources({});
    expect(summary?.unreadable).toBe(0);
    expect(summary?.keptHalfWritten).toBe(1);
    const kept = await core.getRun({ source: 'lab', id: '1' });
    expect(kept.unreadable).toBeNull();
    expect(kept.status).toBe('RUNNING');
    expect(kept.result).toBe(42);
    expect(kept.warnings.join('\n')).toMatch(
      /run\.json .*half-written.*last good copy.*next sync/u,
    );

    // Sacred finishes the rewrite: the next sync reads the new run.json.
    writeGoodRun(folder, '1');
    const path = join(folder, '1', 'run.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"RUNNING"', '"COMPLETED"'));
    const [after] = await core.syncSources({});
    expect(after?.keptHalfWritten).toBeUndefined();
    const fresh = await core.getRun({ source: 'lab', id: '1' });
    expect(fresh.status).toBe('COMPLETED');
    expect(fresh.warnings.join('\n')).not.toMatch(/half-written/u);
  });

  it('keeps the good copy when run.json is empty', async () => {
    writeFileSync(join(folder, '1', 'run.json'), '');
    await core.syncSources({});
    const kept = await core.getRun({ source: 'lab', id: '1' });
    expect(kept.unreadable).toBeNull();
    expect(kept.warnings.join('\n')).toMatch(/half-written/u);
  });

  it('keeps the config of the good copy when config.json is cut short', async () => {
    cut('config.json', 5);
    await core.syncSources({});
    const kept = await core.getRun({ source: 'lab', id: '1' });
    expect(kept.config).toEqual({ seed: 1 });
    expect(kept.warnings.join('\n')).toMatch(/config\.json .*half-written/u);
  });

  it('still reads the same file again at each sync until it is whole', async () => {
    cut('run.json', 60);
    await core.syncSources({});
    await core.syncSources({});
    const second = await core.getRun({ source: 'lab', id: '1' });
    expect(second.unreadable).toBeNull();
    expect(second.warnings.filter((w) => /half-written/u.test(w))).toHaveLength(1);
  });
});

describe('a half-written file in a run never read before', () => {
  it('is listed unreadable with the reason', async () => {
    writeGoodRun(folder, '2');
    writeFileSync(join(folder, '2', 'run.json'), '{"status": "RUN');
    await core.syncSources({});
    const run = await core.getRun({ source: 'lab', id: '2' });
    expect(run.unreadable).toMatch(/run\.json is not valid JSON \(truncated\?\)/u);
  });
});
