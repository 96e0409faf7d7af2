import type { JsonObject } from '../../../shared/contract';
import { senderHost } from './host-info';
import type { RawEntry } from './raw-store';
import { senderMeta } from './sacred-meta';
import type { FolderPlan } from './send-plan';

/** info.dataFiles exactly as the old sender writes it (experiment_sender.py l.117-144). */
export interface DataFiles {
  artifacts: Record<string, string>;
  raw_data: { minio: Record<string, RawEntry>; local: Record<string, RawEntry> };
}

/** What a sent run holds besides its folder's plan: times, stored files, outcome. */
export interface RunContent {
  plan: FolderPlan;
  startTime: Date;
  stopTime: Date;
  /** Sacred's random seed, added to the config unless the config has one. */
  seed: number;
  dataFiles: DataFiles;
  status: 'COMPLETED' | 'FAILED';
  /** FAILED only: Sacred's fail_trace, lines ending in "\n". */
  failTrace: string[] | null;
}

/** The stored names of a plan's files, keyed as info.dataFiles keys them. */
export function plannedArtifacts(plan: FolderPlan): Record<string, string> {
  return Object.fromEntries(plan.artifacts.map((file) => [file.key, file.storedName]));
}

/** `config`: `{experiment: <folder>}` updated from the file, plus Sacred's seed. */
export function runConfig(plan: FolderPlan, seed: number): JsonObject {
  return 'seed' in plan.config ? { ...plan.config } : { ...plan.config, seed };
}

/**
 * The fields of a sent run common to MongoDB and folder sources, in the order Sacred's
 * MongoObserver writes them; times as Dates. Ids (run, artifacts, metrics) are added by the
 * writer of each kind of source.
 */
export function runDocument(content: RunContent): Record<string, unknown> {
  const { plan } = content;
  const info: Record<string, unknown> = { dataFiles: content.dataFiles };
  if (plan.results !== null) info.result = plan.results;
  const document: Record<string, unknown> = {
    experiment: {
      name: plan.name,
      base_dir: plan.folder,
      sources: [],
      dependencies: [],
      repositories: [],
      mainfile: null,
    },
    format: 'MongoObserver-0.7.0',
    command: 'run',
    host: senderHost(),
    start_time: content.startTime,
    config: runConfig(plan, content.seed),
    meta: senderMeta(),
    status: content.status,
    resources: [],
    artifacts: [],
    captured_out: '',
    info,
    heartbeat: content.stopTime,
    // The old sender left `result` null (its main returned nothing); the results are the result.
    result: plan.results,
    stop_time: content.stopTime,
  };
  if (content.failTrace !== null) document.fail_trace = content.failTrace;
  return document;
}

/** A random seed as Sacred draws it (an int below 2^31 here; Sacred's are below 2^32). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** The document as JSON for a preview: Dates as ISO text. */
export function documentJson(document: Record<string, unknown>): JsonObject {
  return JSON.parse(
    JSON.stringify(document, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    ),
  ) as JsonObject;
}
