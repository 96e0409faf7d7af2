import { generateCapturedOutput } from './captured-output';
import { generateConfig } from './config-generator';
import type { ExperimentDef, SourceFile } from './experiment-catalog';
import { md5Hex } from './experiment-catalog';
import { generateFailTrace } from './fail-trace';
import { generateHost } from './host-info';
import { buildMeta } from './meta-options';
import { metricCatalog, planMetric } from './metric-plan';
import type { MetricPlan } from './metric-plan';
import { drawLinePlot } from './plot-image';
import { modelReportPdf } from './model-report-pdf';
import { encodePng } from './png-encoder';
import { dumpPyJson } from './python-json';
import type { PyValue } from './python-json';
import { jsonpickleDatetime, microsFromMs, pyIsoformat } from './python-time';
import type { Micros } from './python-time';
import { generateInfo, generateResult } from './run-info';
import type { SeededRandom } from './seeded-random';
import { statusString } from './status-mix';
import type { StatusKind } from './status-mix';

/** Everything one run directory will hold, before it is written. */
export interface RunFiles {
  id: string;
  runJson: { [key: string]: PyValue };
  config: PyValue;
  /** null: no info.json (info empty, or no beat yet). */
  info: PyValue | null;
  /** null: no cout.txt (queued runs). */
  cout: string | null;
  /** null: no metrics.json (no beat yet, or queued); [] gives `{}`. */
  metrics: MetricPlan[] | null;
  artifacts: { name: string; content: Buffer | string }[];
  /** Sources this run references in _sources/. */
  sources: SourceFile[];
  /** Queued runs keep a flat copy of their sources in the run directory. */
  flatSources: SourceFile[];
  resources: { storedName: string; content: string }[];
}

export interface RunRequest {
  id: string;
  kind: StatusKind;
  experiment: ExperimentDef;
  /** Position of the run in the history, 0..1, for the source version and start time. */
  position: number;
  nowMs: number;
  historyDays: number;
  /** Name of the folder root as the experiment machine saw it (for resource paths). */
  observerBaseDir: string;
  forceNonFiniteConfig?: boolean;
  forceNoMetrics?: boolean;
  extraMetric?: { name: string; points: number };
  /** Points per metric: lognormal with this median. */
  metricMedian: number;
}

const SECOND = 1_000_000;

function pickDurationS(rng: SeededRandom): number {
  return Math.min(3 * 86_400, Math.max(5, rng.lognormal(1200, 1.2)));
}

function withMicros(rng: SeededRandom, micros: Micros): Micros {
  // ~5% of times fall on a whole second so the fraction-less isoformat shows up.
  return rng.chance(0.05) ? Math.floor(micros / SECOND) * SECOND : micros;
}

export function buildRun(rng: SeededRandom, request: RunRequest): RunFiles {
  const { id, kind, experiment } = request;
  const now = microsFromMs(request.nowMs);
  const status = statusString(kind);
  const command = rng.pick(experiment.commands);
  const sources = experiment.sourceVersions[request.position < experiment.versionSwitch ? 0 : 1];
  const { config, updates } = generateConfig(
    rng,
    experiment,
    request.forceNonFiniteConfig ?? rng.chance(0.01),
  );
  const comment = rng.chance(0.15)
    ? rng.pick(['baseline', 'try smaller lr', 'après le fix ✓', 'sweep #3'])
    : null;
  const beatInterval = rng.weighted([
    [null, 80],
    ['0.5', 5],
    ['5.0', 10],
    ['30', 5],
  ] as const);
  const beatS = beatInterval === null ? 10 : Number(beatInterval);
  const meta = buildMeta({
    command,
    updates,
    comment,
    beatInterval,
    customId: /^\d+$/u.test(id) ? null : id,
    queued: kind === 'QUEUED',
    priority: rng.chance(0.05) ? rng.int(1, 10) : null,
    namedConfigs: rng.chance(0.1) ? [rng.pick(['fast', 'large', 'debug'])] : [],
  });
  const host = generateHost(rng);
  const experimentJson: { [key: string]: PyValue } = {
    base_dir: experiment.baseDir,
    dependencies: experiment.dependencies,
    mainfile: experiment.mainfile,
    name: experiment.name,
    repositories: experiment.hasGit
      ? sources.map(() => ({
          commit: experiment.gitCommits[request.position < experiment.versionSwitch ? 0 : 1],
          dirty: rng.chance(0.3),
          url: rng.chance(0.5)
            ? `git:/${experiment.baseDir}`
            : 'git@github.com:alice/experiments.git',
        }))
      : [],
    sources: [],
  };

  if (kind === 'QUEUED') {
    const queued = now - rng.int(60, 2 * 86_400) * SECOND;
    experimentJson.sources = sources.map((s) => ({ 'py/tuple': [s.name, s.md5] }));
    meta.queue_time = jsonpickleDatetime(queued);
    return {
      id,
      runJson: { command, experiment: experimentJson, host, meta, status },
      config,
      info: null,
      cout: null,
      metrics: null,
      artifacts: [],
      sources: [],
      flatSources: sources,
      resources: [],
    };
  }
  experimentJson.sources = sources.map((s) => [s.name, s.storedAs]);

  // Timeline: start, last beat and stop, all consistent with the status.
  const historyStart = now - request.historyDays * 86_400 * SECOND;
  let start =
    historyStart + Math.floor(request.position * (request.historyDays - 1) * 86_400 * SECOND);
  start += rng.int(0, 3600) * SECOND + rng.int(0, 999_999);
  let duration = Math.round(pickDurationS(rng) * SECOND);
  let heartbeat: Micros | null;
  let stop: Micros | null = null;
  if (kind === 'RUNNING_FRESH') {
    const young = rng.chance(0.3);
    duration = (young ? rng.int(1, 4) : rng.int(60, 3 * 3600)) * SECOND;
    start = now - duration - rng.int(0, 999_999);
    heartbeat = young ? null : now;
  } else if (kind === 'RUNNING_STALE') {
    start = Math.min(start, now - 2 * 86_400 * SECOND);
    heartbeat = rng.chance(0.3) ? null : start + Math.floor(duration * rng.float(0.1, 1));
  } else {
    start = withMicros(rng, Math.min(start, now - duration - 120 * SECOND));
    if (kind === 'FAILED' || kind === 'INTERRUPTED' || kind === 'TIMEOUT' || kind === 'PREEMPTED') {
      duration = Math.max(2 * SECOND, Math.floor(duration * rng.float(0.01, 1)));
    }
    stop = start + duration;
    if (kind === 'COMPLETED') heartbeat = stop + rng.int(0, 5000);
    else if (kind === 'FAILED' && rng.chance(0.1)) heartbeat = null;
    else heartbeat = withMicros(rng, stop - rng.int(1000, 10_000));
  }
  const lastSeen = stop ?? heartbeat ?? start;

  const failTrace =
    kind === 'FAILED'
      ? generateFailTrace(rng, experiment.baseDir, experiment.mainfile ?? 'main.py')
      : null;
  const metricCount = request.forceNoMetrics ? 0 : rng.int(0, 6);
  const pool = [...metricCatalog];
  const metrics: MetricPlan[] = [];
  for (let m = 0; m < metricCount; m++) {
    const [name, metricKind] = pool.splice(
      rng.int(0, pool.length - 1),
      1,
    )[0] as (typeof metricCatalog)[number];
    const count = Math.max(1, Math.min(20_000, Math.round(rng.lognormal(request.metricMedian, 1))));
    metrics.push(
      planMetric(rng, name, metricKind, count, { start, end: lastSeen, beatIntervalS: beatS }),
    );
  }
  if (request.extraMetric !== undefined) {
    const { name, points } = request.extraMetric;
    metrics.push(
      planMetric(rng, name, 'loss', points, { start, end: lastSeen, beatIntervalS: beatS }),
    );
  }
  const hadBeat = heartbeat !== null;

  const artifacts: RunFiles['artifacts'] = [];
  if (hadBeat && rng.chance(0.4)) {
    const first = metrics[0];
    const curve: number[] = [];
    const samples = first === undefined ? 120 : Math.min(first.count, 300);
    for (let i = 0; i < samples; i++) {
      const index = first === undefined ? i : Math.floor((i * first.count) / samples);
      const value =
        first === undefined ? Math.exp(-i / 30) + rng.float(0, 0.05) : first.value(index);
      curve.push(value ?? NaN);
    }
    const second = curve.map((v, i) => (Number.isFinite(v) ? v * 0.8 + 0.1 * Math.sin(i / 9) : v));
    artifacts.push({
      name: 'loss_curve.png',
      content: encodePng(drawLinePlot(320, 200, [curve, second])),
    });
    if (rng.chance(0.6)) {
      const arch = String((config.model as { arch?: PyValue } | undefined)?.arch ?? 'mlp');
      const params = rng.int(1e4, 5e7);
      artifacts.push({ name: 'model_summary.txt', content: `Model: ${arch}\nparams: ${params}\n` });
      // No random draw here: adding the report keeps every other generated value as it was.
      artifacts.push({ name: 'report.pdf', content: modelReportPdf(arch, params) });
    }
    if (rng.chance(0.5)) {
      artifacts.push({
        name: 'final_metrics.json',
        content: dumpPyJson({
          acc: rng.float(0.5, 0.99),
          epoch: rng.int(1, 100),
          note: 'écrit par le script',
        }),
      });
    }
  }

  const resources: RunFiles['resources'] = [];
  const resourcePairs: PyValue[] = [];
  if (rng.chance(0.2)) {
    const content = `label,count\ncat,${rng.int(1, 999)}\ndog,${rng.int(1, 999)}\n`;
    const md5 = md5Hex(content);
    const storedName = `labels_${md5}.csv`;
    resources.push({ storedName, content });
    resourcePairs.push([
      `${experiment.baseDir}/data/labels.csv`,
      `${request.observerBaseDir}/_resources/${storedName}`,
    ]);
  }

  const runJson: { [key: string]: PyValue } = {
    artifacts: artifacts.map((a) => a.name),
    command,
    experiment: experimentJson,
    heartbeat: heartbeat === null ? null : pyIsoformat(heartbeat),
    host,
    meta,
    resources: resourcePairs,
    start_time: pyIsoformat(start),
    status,
  };
  // Sacred adds `result` on the first beat (or at completion) and stop_time at the end.
  if (kind === 'COMPLETED') runJson.result = generateResult(rng);
  else if (hadBeat) runJson.result = null;
  if (stop !== null) runJson.stop_time = pyIsoformat(stop);
  if (failTrace !== null) runJson.fail_trace = failTrace;

  const info =
    hadBeat && rng.chance(0.6)
      ? generateInfo(
          rng,
          metrics.map((m) => m.name),
          start,
        )
      : null;
  const cout = generateCapturedOutput(rng, {
    experiment: experiment.name,
    runId: id,
    command,
    status,
    durationS: (lastSeen - start) / SECOND,
    failTrace,
    targetBytes: hadBeat ? Math.min(1024 * 1024, rng.lognormal(5000, 2)) : 0,
  });

  return {
    id,
    runJson,
    config,
    info,
    cout: hadBeat ? cout : '',
    metrics: hadBeat ? metrics : null,
    artifacts,
    sources,
    flatSources: [],
    resources,
  };
}
