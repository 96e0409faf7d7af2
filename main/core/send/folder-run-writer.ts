import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AltarError } from '../../../shared/errors';
import type { PyValue } from '../demo/python-json';
import { dumpPyJson } from '../demo/python-json';
import { microsFromMs, pyIsoformat } from '../demo/python-time';
import { dataFilesFingerprint, planFingerprint } from './duplicate-fingerprint';
import type { RunContent } from './run-document';
import { runConfig } from './run-document';
import { senderHost } from './host-info';
import { senderMeta } from './sacred-meta';
import type { FolderPlan } from './send-plan';
import type { RunWriter, WriteHooks, WrittenRun } from './run-writer';

const ID_ATTEMPTS = 1000;

/**
 * Sent runs in Sacred's FileStorageObserver layout (SACRED_FORMAT.md §2): `<id>/run.json`,
 * config.json, metrics.json, info.json, cout.txt and the artifacts, for labs without a
 * database. The id is the largest numeric folder + 1, taken with mkdir (another sender taking
 * it makes mkdir fail, and the next number is tried, as Sacred does).
 */
export function createFolderRunWriter(root: string): RunWriter {
  return {
    async findDuplicate(plan: FolderPlan): Promise<string | null> {
      const wanted = planFingerprint(plan);
      for (const id of await numericRunIds(root)) {
        const run = await readJson(join(root, String(id), 'run.json'));
        const experiment = run?.experiment as { name?: unknown } | undefined;
        if (experiment?.name !== plan.name || run?.status !== 'COMPLETED') continue;
        const info = await readJson(join(root, String(id), 'info.json'));
        if (dataFilesFingerprint(experiment.name, info?.dataFiles) === wanted) return String(id);
      }
      return null;
    },

    async write(content: RunContent, hooks: WriteHooks): Promise<WrittenRun> {
      const id = await takeId(root);
      const dir = join(root, String(id));
      try {
        const artifacts: string[] = [];
        for (const file of content.plan.artifacts) {
          hooks.check();
          await copyFile(file.path, join(dir, file.storedName));
          hooks.progress(file.relative, file.size, file.size);
          artifacts.push(file.storedName);
        }
        hooks.check();
        const files = folderRunFiles(content, artifacts);
        // run.json last: a reader skips a run folder that has none yet.
        for (const [name, text] of Object.entries(files)) {
          if (name !== 'run.json') await writeFile(join(dir, name), text);
        }
        hooks.check();
        await writeFile(join(dir, 'run.json'), files['run.json'] as string);
        return { id: String(id), failure: null };
      } catch (error) {
        if (hooks.signal.aborted || (error instanceof AltarError && error.code === 'CANCELLED')) {
          await rm(dir, { recursive: true, force: true });
          throw new AltarError('CANCELLED', 'The send was cancelled.');
        }
        const failure = `the send failed: ${error instanceof Error ? error.message : String(error)}`;
        const failed = folderRunFiles(
          { ...content, status: 'FAILED', failTrace: [`Altar Viewer: ${failure}\n`] },
          [],
        );
        await writeFile(join(dir, 'run.json'), failed['run.json'] as string).catch(() => undefined);
        return { id: String(id), failure };
      }
    },
  };
}

/** The files of a run folder, as Sacred's FileStorageObserver writes them (Python's JSON). */
export function folderRunFiles(content: RunContent, artifacts: string[]): Record<string, string> {
  const { plan } = content;
  const time = (date: Date): string => pyIsoformat(microsFromMs(date.getTime()));
  const run: Record<string, unknown> = {
    artifacts,
    command: 'run',
    experiment: {
      base_dir: plan.folder,
      dependencies: [],
      mainfile: null,
      name: plan.name,
      repositories: [],
      sources: [],
    },
    heartbeat: time(content.stopTime),
    host: senderHost(),
    meta: senderMeta(),
    resources: [],
    result: plan.results,
    start_time: time(content.startTime),
    status: content.status,
    stop_time: time(content.stopTime),
  };
  if (content.failTrace !== null) run.fail_trace = content.failTrace;
  const info: Record<string, unknown> = { dataFiles: content.dataFiles };
  if (plan.results !== null) info.result = plan.results;
  const metrics: Record<string, unknown> = {};
  for (const series of plan.metrics) {
    metrics[series.name] = {
      steps: series.steps,
      timestamps: series.values.map(() => time(content.startTime)),
      values: series.values,
    };
  }
  return {
    'config.json': dumpPyJson(runConfig(plan, content.seed) as PyValue),
    'info.json': dumpPyJson(info as PyValue),
    'metrics.json': dumpPyJson(metrics as PyValue),
    'cout.txt': '',
    'run.json': dumpPyJson(run as PyValue),
  };
}

async function numericRunIds(root: string): Promise<number[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && /^\d+$/u.test(entry.name))
    .map((entry) => Number(entry.name))
    .sort((a, b) => a - b);
}

async function takeId(root: string): Promise<number> {
  await mkdir(root, { recursive: true });
  let id = ((await numericRunIds(root)).at(-1) ?? 0) + 1;
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++, id++) {
    try {
      await mkdir(join(root, String(id)));
      return id;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
  throw new AltarError('CONFLICT', `Could not take a new run folder in ${root}.`);
}

async function readJson(path: string): Promise<Record<string, unknown> | null> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
