import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRun } from './build-run';
import type { RunRequest } from './build-run';
import {
  emptyFile,
  removeFile,
  truncateFileTo,
  writeConfigOnlyDir,
  writeEmptyRunDir,
  writeTemplate,
} from './disk-variants';
import { buildExperiments } from './experiment-catalog';
import { dumpPyJson } from './python-json';
import { SeededRandom } from './seeded-random';
import { statusMix } from './status-mix';
import type { StatusKind } from './status-mix';
import { SharedStore, writeRun } from './write-run';

export interface GenerateSacredFolderOptions {
  /** Regular numbered runs; the broken variants come on top. */
  runs: number;
  seed?: number;
  /** Add the odd and broken directories (custom id, truncated files, ...). Default true. */
  variants?: boolean;
  /** When > 0, one completed run gets a metric `batch.loss` with this many points. */
  bigMetricPoints?: number;
  /** "Now" in ms since the epoch; fixes fresh heartbeats so output is reproducible. */
  now?: number;
  /** Median points per metric (lognormal). Default 200. */
  metricMedian?: number;
}

export interface GeneratedSacredFolder {
  /** Every run directory that holds a run.json (readable or not), in creation order. */
  runIds: string[];
  /** Directories without run.json (empty, config-only): Sacred readers skip them. */
  incompleteDirs: string[];
  /** Metric points written over all metrics.json files. */
  points: number;
  /** Which directory holds which odd shape; null when variants were off. */
  variants: SacredFolderVariants | null;
}

export interface SacredFolderVariants {
  /** `--id myrun7`: custom directory name, metrics.json is `{}`, config has a NaN/Infinity. */
  customId: string;
  /** Sacred 0.7.0-0.7.4 queued directory name. */
  legacyQueued: string;
  /** run.json cut in the middle of a rewrite. */
  truncatedRunJson: string;
  /** run.json truncated to 0 bytes (caught between truncate and write). */
  emptyRunJson: string;
  truncatedMetrics: string;
  missingConfig: string;
  /** An empty run directory (no run.json). */
  emptyDir: string;
  /** A directory with config.json only (no run.json). */
  configOnly: string;
}

const PARALLEL_WRITES = 8;

/**
 * Writes a FileStorageObserver folder as Sacred 0.8.x leaves it, deterministic for a seed
 * (and `now`): numbered runs with ~3% gaps in every end state, _sources/, _resources/,
 * and, with variants, the broken shapes readers must survive.
 */
export async function generateSacredFolder(
  dir: string,
  options: GenerateSacredFolderOptions,
): Promise<GeneratedSacredFolder> {
  const rng = new SeededRandom(options.seed ?? 1);
  const variants = options.variants ?? true;
  const nowMs = options.now ?? Date.now();
  const bigPoints = Math.max(0, Math.floor(options.bigMetricPoints ?? 0));
  const experiments = buildExperiments(rng.fork(), 6);
  const store = new SharedStore(dir);
  await mkdir(dir, { recursive: true });

  const runIds: string[] = [];
  const incompleteDirs: string[] = [];
  let points = 0;
  let pending: Promise<void>[] = [];
  const write = async (
    request: Omit<RunRequest, 'nowMs' | 'historyDays' | 'observerBaseDir' | 'metricMedian'>,
  ) => {
    const run = buildRun(rng.fork(), {
      ...request,
      nowMs,
      historyDays: 60,
      observerBaseDir: '/srv/sacred/runs',
      metricMedian: options.metricMedian ?? 200,
    });
    runIds.push(run.id);
    pending.push(
      writeRun(dir, run, store).then((written) => {
        points += written;
      }),
    );
    if (pending.length >= PARALLEL_WRITES) {
      await Promise.all(pending);
      pending = [];
    }
    return run;
  };
  const flush = async (): Promise<void> => {
    await Promise.all(pending);
    pending = [];
  };

  let nextId = 1;
  let bigDone = bigPoints === 0;
  for (let i = 0; i < options.runs; i++) {
    const id = String(nextId);
    nextId += rng.chance(0.03) ? rng.int(2, 3) : 1;
    let kind: StatusKind = rng.weighted(statusMix);
    const wantsBig = !bigDone && (kind === 'COMPLETED' || i === options.runs - 1);
    if (wantsBig) kind = 'COMPLETED';
    await write({
      id,
      kind,
      experiment: rng.pick(experiments),
      position: options.runs <= 1 ? 1 : i / (options.runs - 1),
      ...(wantsBig ? { extraMetric: { name: 'batch.loss', points: bigPoints } } : {}),
    });
    if (wantsBig) bigDone = true;
  }
  await flush();
  if (!variants) return { runIds, incompleteDirs, points, variants: null };

  const pickExperiment = () => rng.pick(experiments);
  // Sacred 0.8.3+ `--id myrun7`: a custom directory name; no metrics logged, so metrics.json is {}.
  await write({
    id: 'myrun7',
    kind: 'COMPLETED',
    experiment: pickExperiment(),
    position: 1,
    forceNonFiniteConfig: true,
    forceNoMetrics: true,
  });
  // Sacred 0.7.0-0.7.4 gave queued runs random directory names.
  await write({ id: 'run_ab12cd34', kind: 'QUEUED', experiment: pickExperiment(), position: 1 });

  const truncatedRun = String(nextId++);
  await write({
    id: truncatedRun,
    kind: 'RUNNING_FRESH',
    experiment: pickExperiment(),
    position: 1,
  });
  const emptyRun = String(nextId++);
  await write({ id: emptyRun, kind: 'RUNNING_FRESH', experiment: pickExperiment(), position: 1 });
  const truncatedMetrics = String(nextId++);
  await write({
    id: truncatedMetrics,
    kind: 'COMPLETED',
    experiment: pickExperiment(),
    position: 1,
    extraMetric: { name: 'train.loss_per_batch', points: 400 },
  });
  const noConfig = String(nextId++);
  await write({ id: noConfig, kind: 'COMPLETED', experiment: pickExperiment(), position: 1 });
  await flush();

  await truncateFileTo(join(dir, truncatedRun, 'run.json'), 0.55);
  await emptyFile(join(dir, emptyRun, 'run.json'));
  await truncateFileTo(join(dir, truncatedMetrics, 'metrics.json'), 0.6);
  await removeFile(join(dir, noConfig, 'config.json'));

  const emptyDir = String(nextId++);
  await writeEmptyRunDir(dir, emptyDir);
  const configOnly = String(nextId);
  await writeConfigOnlyDir(
    dir,
    configOnly,
    dumpPyJson({ lr: 0.01, seed: rng.int(0, 2 ** 32 - 1) }),
  );
  incompleteDirs.push(emptyDir, configOnly);
  await writeTemplate(dir);
  return {
    runIds,
    incompleteDirs,
    points,
    variants: {
      customId: 'myrun7',
      legacyQueued: 'run_ab12cd34',
      truncatedRunJson: truncatedRun,
      emptyRunJson: emptyRun,
      truncatedMetrics,
      missingConfig: noConfig,
      emptyDir,
      configOnly,
    },
  };
}
