// The window's backup, restore and copy (issue 17) over the contract: sizes before starting,
// progress events with the caller's operation id, cancel, and what a cancelled or refused
// operation leaves on disk and in the run table.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';
import type { BackupProgressEvent } from '../../shared/contract/backup-methods';
import { rejection } from '../support/rejection';

const NOW = Date.parse('2026-11-27T00:00:00Z');
const RUNS = 6;

let root: string;
let core: AltarCore;
let events: BackupProgressEvent[];

async function runIdsOf(source: string): Promise<string[]> {
  const page = await core.listRuns({ source });
  return page.runs.map((run) => run.id).sort();
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'altar-backup-methods-'));
  await generateSacredFolder(join(root, 'lab'), { runs: RUNS, seed: 5, variants: false, now: NOW });
  mkdirSync(join(root, 'other'));
  mkdirSync(join(root, 'backups'));
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct', now: () => NOW });
  await core.addFolderSource({ name: 'lab', path: join(root, 'lab') });
  await core.addFolderSource({ name: 'other', path: join(root, 'other') });
  await core.syncSources({});
  await core.setSourceWrites({ source: 'other', enabled: true });
  events = [];
  core.on('backupProgress', (event) => events.push(event));
});

afterEach(async () => {
  await core.close();
  rmSync(root, { recursive: true, force: true });
});

describe('estimateBackup', () => {
  it('counts the runs, metric points and artifact bytes of all runs or of the chosen ones', async () => {
    const all = await core.estimateBackup({ source: 'lab' });
    expect(all.runs).toBe(RUNS);
    expect(all.metricPoints).toBeGreaterThan(0);
    const ids = (await runIdsOf('lab')).slice(0, 2);
    const two = await core.estimateBackup({ source: 'lab', runIds: ids });
    expect(two.runs).toBe(2);
    // The same numbers as the two runs' pages show.
    const details = await Promise.all(ids.map((id) => core.getRun({ source: 'lab', id })));
    const metrics = details.flatMap((run) => run.metrics);
    const artifacts = details.flatMap((run) => run.artifacts);
    expect(two.metrics).toBe(metrics.length);
    expect(two.metricPoints).toBe(metrics.reduce((sum, metric) => sum + metric.count, 0));
    expect(two.artifacts).toBe(artifacts.length);
    expect(two.artifactBytes).toBe(artifacts.reduce((sum, a) => sum + (a.size ?? 0), 0));
    expect(two.metricPoints).toBeLessThan(all.metricPoints);
    const completed = await core.estimateBackup({ source: 'lab', where: 'status = COMPLETED' });
    expect(completed.runs).toBe(
      (await core.queryRuns({ sources: ['lab'], where: 'status = COMPLETED', columns: [] })).total,
    );
  });

  it('refuses a source that does not exist', async () => {
    expect((await rejection(core.estimateBackup({ source: 'nope' }))).code).toBe('NOT_FOUND');
  });
});

describe('exportBackup', () => {
  it('writes the dump into the folder with progress events, then says done', async () => {
    const to = join(root, 'backups', 'monday');
    const summary = await core.exportBackup({ source: 'lab', to, operationId: 'op-1' });
    expect(summary.kind).toBe('export');
    expect(summary.runsWritten).toBe(RUNS);
    expect(summary.metricsWritten).toBeGreaterThan(0);
    expect(summary.target.startsWith(to)).toBe(true);
    expect(readdirSync(summary.target)).toContain('runs.bson');
    // Only the finished backup is in the parent folder: no staging folder left over.
    expect(readdirSync(join(root, 'backups'))).toEqual(['monday']);
    expect(events.every((event) => event.operationId === 'op-1')).toBe(true);
    expect(events.some((event) => event.state === 'working' && event.phase === 'runs')).toBe(true);
    expect(events.at(-1)?.state).toBe('done');
  });

  it('leaves no folder behind when cancelled', async () => {
    const to = join(root, 'backups', 'cancelled');
    const off = core.on('backupProgress', (event) => {
      if (event.phase !== 'planning') void core.cancelBackup({ operationId: 'op-c' });
    });
    const error = await rejection(core.exportBackup({ source: 'lab', to, operationId: 'op-c' }));
    off();
    expect(error.code).toBe('CANCELLED');
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(join(root, 'backups'))).toEqual([]);
    expect(events.at(-1)?.state).toBe('cancelled');
  });

  it('refuses a folder that holds files, a relative path and a missing parent', async () => {
    const full = join(root, 'backups', 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    expect((await rejection(core.exportBackup({ source: 'lab', to: full }))).code).toBe(
      'ALREADY_EXISTS',
    );
    expect(readdirSync(full)).toEqual(['keep.txt']);
    const relative = await rejection(core.exportBackup({ source: 'lab', to: 'backups/x' }));
    expect(relative.code).toBe('INVALID_ARGUMENT');
    expect(relative.message).toMatch(/absolute/u);
    const orphan = join(root, 'no-such-parent', 'x');
    expect((await rejection(core.exportBackup({ source: 'lab', to: orphan }))).code).toBe(
      'NOT_FOUND',
    );
    expect(events).toEqual([]);
  });
});

describe('importBackup and copyRuns', () => {
  it('restores a backup into a writable folder source, whose runs then show', async () => {
    const to = join(root, 'backups', 'b');
    await core.exportBackup({ source: 'lab', to });
    const summary = await core.importBackup({ from: to, to: 'other', operationId: 'op-i' });
    expect(summary.runsWritten).toBe(RUNS);
    expect(await runIdsOf('other')).toEqual(await runIdsOf('lab'));
    // Again: the runs are recognised, nothing is added twice.
    const again = await core.importBackup({ from: to, to: 'other' });
    expect(again.runsWritten).toBe(0);
    expect(again.runsPresent).toBe(RUNS);
    expect(events.filter((event) => event.operationId === 'op-i').at(-1)?.state).toBe('done');
  });

  it('refuses to restore into a read-only source or from a folder that is not there', async () => {
    const to = join(root, 'backups', 'b');
    await core.exportBackup({ source: 'other', to });
    await core.setSourceWrites({ source: 'other', enabled: false });
    expect((await rejection(core.importBackup({ from: to, to: 'other' }))).code).toBe('READ_ONLY');
    const missing = join(root, 'backups', 'missing');
    expect((await rejection(core.importBackup({ from: missing, to: 'lab' }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('tells what a backup folder holds before restoring it, and what is not one', async () => {
    const to = join(root, 'backups', 'b');
    await core.exportBackup({ source: 'lab', to, gzip: true });
    const contents = await core.inspectBackup({ from: to });
    expect(contents.runs).toBe(RUNS);
    expect(contents.collections).toContain('runs');
    expect(contents.bytes).toBeGreaterThan(0);
    const notADump = await rejection(core.inspectBackup({ from: join(root, 'lab') }));
    expect(notADump.code).toBe('INVALID_ARGUMENT');
    const missing = await rejection(core.inspectBackup({ from: join(root, 'nothing') }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(await runIdsOf('other')).toEqual([]);
  });

  it('says a damaged backup is damaged, and restores nothing of it', async () => {
    const to = join(root, 'backups', 'b');
    const written = await core.exportBackup({ source: 'lab', to });
    const runsFile = join(written.target, 'runs.bson');
    const bytes = readFileSync(runsFile);
    writeFileSync(runsFile, bytes.subarray(0, bytes.length - 7));
    const error = await rejection(core.importBackup({ from: to, to: 'other' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/damaged/u);
    expect(await runIdsOf('other')).toEqual([]);
  });

  it('copies the chosen runs only, renaming ids that are taken (old → new in the summary)', async () => {
    const ids = await runIdsOf('lab');
    const chosen = ids.slice(0, 2);
    const first = await core.copyRuns({ from: 'lab', to: 'other', runIds: chosen });
    expect(first.runsWritten).toBe(2);
    expect(first.renamed).toEqual([]);
    expect(await runIdsOf('other')).toEqual(chosen);
    // A source whose runs 1 and 2 are other runs (another seed): the copies take new ids.
    await generateSacredFolder(join(root, 'rival'), {
      runs: 2,
      seed: 9,
      variants: false,
      now: NOW,
    });
    await core.addFolderSource({ name: 'rival', path: join(root, 'rival') });
    await core.setSourceWrites({ source: 'rival', enabled: true });
    await core.syncSources({ names: ['rival'] });
    const taken = await runIdsOf('rival');
    const renamed = await core.copyRuns({ from: 'lab', to: 'rival', runIds: taken });
    expect(renamed.runsWritten).toBe(2);
    expect(renamed.renamed.map((row) => row.from).sort()).toEqual(taken);
    const now = await runIdsOf('rival');
    expect(now).toHaveLength(4);
    for (const row of renamed.renamed) expect(now).toContain(row.to);
  });

  it('a cancelled copy leaves whole runs only, each readable with its metrics', async () => {
    const off = core.on('backupProgress', (event) => {
      if (event.phase === 'runs') void core.cancelBackup({ operationId: 'op-k' });
    });
    const error = await rejection(core.copyRuns({ from: 'lab', to: 'other', operationId: 'op-k' }));
    off();
    expect(error.code).toBe('CANCELLED');
    const copied = await runIdsOf('other');
    expect(copied.length).toBeGreaterThan(0);
    expect(copied.length).toBeLessThan(RUNS);
    for (const id of copied) {
      const run = await core.getRun({ source: 'other', id });
      const original = await core.getRun({ source: 'lab', id });
      expect(run.warnings).toEqual([]);
      expect(run.metrics.map((metric) => metric.name)).toEqual(
        original.metrics.map((metric) => metric.name),
      );
    }
    // Copying again finishes the job without doubling what the cancelled copy wrote.
    const rest = await core.copyRuns({ from: 'lab', to: 'other' });
    expect(rest.runsPresent).toBe(copied.length);
    expect(await runIdsOf('other')).toEqual(await runIdsOf('lab'));
  });

  it('refuses runIds and a copy into the same source before doing anything', async () => {
    const empty = await rejection(core.copyRuns({ from: 'lab', to: 'other', runIds: [] }));
    expect(empty.code).toBe('INVALID_ARGUMENT');
    const same = await rejection(core.copyRuns({ from: 'lab', to: 'lab' }));
    expect(same.code).toBe('INVALID_ARGUMENT');
    expect(events).toEqual([]);
  });
});
