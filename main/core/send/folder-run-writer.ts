import { copyFile, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AltarError } from '../../../shared/errors';
import type { PyValue } from '../demo/python-json';
import { dumpPyJson } from '../demo/python-json';
import { microsFromMs, pyIsoformat } from '../demo/python-time';
import { copyMatches, fileDigest } from './arrived-check';
import { dataFilesFingerprint, planFingerprint } from './duplicate-fingerprint';
import { failedSendOf } from './failed-send';
import { PART_BYTES } from './raw-store';
import type { RunContent } from './run-document';
import { runConfig } from './run-document';
import { senderHost } from './host-info';
import { senderMeta } from './sacred-meta';
import type { FolderPlan } from './send-plan';
import type {
  EarlierSends,
  FailedSend,
  OpenRun,
  RunWriter,
  WriteHooks,
  WrittenRun,
} from './run-writer';
import { UNFINISHED_TRACE } from './run-writer';

const ID_ATTEMPTS = 1000;

/**
 * Sent runs in Sacred's FileStorageObserver layout (SACRED_FORMAT.md §2): `<id>/run.json`,
 * config.json, metrics.json, info.json, cout.txt and the artifacts, for labs without a
 * database. The id is the largest numeric folder + 1, taken with mkdir (another sender taking
 * it makes mkdir fail, and the next number is tried, as Sacred does).
 */
export function createFolderRunWriter(root: string): RunWriter {
  /** The run folder `id` (new, or an earlier FAILED one when `resumed`) being written. */
  const openRun = (id: number, resumed: boolean): OpenRun => {
    const dir = join(root, String(id));
    const markFailed = async (reason: string): Promise<void> => {
      const run = await readJson(join(dir, 'run.json'));
      if (run === null) return;
      await writeFile(
        join(dir, 'run.json'),
        dumpPyJson({
          ...run,
          status: 'FAILED',
          fail_trace: [`Altar Viewer: ${reason}\n`],
        } as PyValue),
      );
    };
    return {
      id: String(id),

      async recordRaw(rawData) {
        const info = (await readJson(join(dir, 'info.json'))) ?? {};
        const dataFiles = isObject(info.dataFiles) ? info.dataFiles : {};
        await writeFile(
          join(dir, 'info.json'),
          dumpPyJson({ ...info, dataFiles: { ...dataFiles, raw_data: rawData } } as PyValue),
        );
      },

      async finish(final: RunContent, hooks: WriteHooks): Promise<WrittenRun> {
        let alreadyArrived = 0;
        try {
          const artifacts: string[] = [];
          for (const file of final.plan.artifacts) {
            hooks.check();
            const target = join(dir, file.storedName);
            if (
              resumed &&
              (await copyMatches(target, await fileDigest(file.path, PART_BYTES), PART_BYTES))
            ) {
              alreadyArrived++;
              hooks.progress(file.relative, file.size, file.size, true);
              artifacts.push(file.storedName);
              continue;
            }
            // Copied aside, renamed when whole: a copy cut short never looks like the file.
            await copyFile(file.path, `${target}.part`);
            await rename(`${target}.part`, target);
            hooks.progress(file.relative, file.size, file.size);
            artifacts.push(file.storedName);
          }
          hooks.check();
          const files = folderRunFiles(final, artifacts);
          // run.json last: until then the run reads FAILED (did not finish).
          for (const [name, text] of Object.entries(files)) {
            if (name !== 'run.json') await writeFile(join(dir, name), text);
          }
          hooks.check();
          await writeFile(join(dir, 'run.json'), files['run.json'] as string);
          return { failure: null, alreadyArrived };
        } catch (error) {
          if (hooks.signal.aborted || (error instanceof AltarError && error.code === 'CANCELLED')) {
            throw new AltarError('CANCELLED', 'The send was cancelled.');
          }
          const failure = `the send failed: ${error instanceof Error ? error.message : String(error)}`;
          await markFailed(failure).catch(() => undefined);
          return { failure, alreadyArrived };
        }
      },

      fail: (reason) => markFailed(reason).catch(() => undefined),

      async discard() {
        await rm(dir, { recursive: true, force: true });
      },
    };
  };

  return {
    async findEarlier(plan: FolderPlan): Promise<EarlierSends> {
      const wanted = planFingerprint(plan);
      const earlier: EarlierSends = { completed: null, failed: null };
      for (const id of (await numericRunIds(root)).reverse()) {
        const dir = join(root, String(id));
        const run = await readJson(join(dir, 'run.json'));
        const experiment = run?.experiment as { name?: unknown } | undefined;
        if (experiment?.name !== plan.name) continue;
        const info = await readJson(join(dir, 'info.json'));
        if (run?.status === 'COMPLETED') {
          if (
            earlier.completed === null &&
            dataFilesFingerprint(experiment.name, info?.dataFiles) === wanted
          ) {
            earlier.completed = String(id);
          }
        } else if (run?.status === 'FAILED' && earlier.failed === null) {
          // What is really in the folder: run.json lists artifacts only once the run is done.
          const present = new Set(await readdir(dir).catch(() => [] as string[]));
          earlier.failed = failedSendOf(plan, {
            id: String(id),
            experimentName: experiment.name,
            startTime: run.start_time,
            config: await readJson(join(dir, 'config.json')),
            failTrace: run.fail_trace,
            dataFiles: info?.dataFiles,
            storedArtifacts: plan.artifacts
              .map((file) => file.storedName)
              .filter((name) => present.has(name)),
          });
        }
      }
      return earlier;
    },

    async begin(content: RunContent): Promise<OpenRun> {
      const id = await takeId(root);
      const dir = join(root, String(id));
      // FAILED from the start, with what it plans: a send killed now leaves a run that reads
      // FAILED (never a folder without run.json) and that a resume completes.
      const files = folderRunFiles(
        { ...content, status: 'FAILED', failTrace: UNFINISHED_TRACE },
        [],
      );
      try {
        for (const name of ['config.json', 'info.json', 'run.json']) {
          await writeFile(join(dir, name), files[name] as string);
        }
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      return openRun(id, false);
    },

    async reopen(failed: FailedSend): Promise<OpenRun> {
      const id = Number(failed.id);
      const run = await readJson(join(root, failed.id, 'run.json'));
      if (run?.status !== 'FAILED') {
        throw new AltarError(
          'CONFLICT',
          `Run ${failed.id} is no longer FAILED: it was not resumed.`,
        );
      }
      return openRun(id, true);
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

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function readJson(path: string): Promise<Record<string, unknown> | null> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
