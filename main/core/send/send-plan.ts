import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { JsonObject } from '../../../shared/contract';
import type { SendMapping } from '../../../shared/contract/send-methods';
import { configFromName } from './config-from-name';
import { readConfigFile } from './config-file';
import { listFolderFiles, matchGlob } from './folder-files';
import type { MetricSeries } from './metrics-file';
import { readMetricsFile } from './metrics-file';
import { readResultsFile } from './results-file';
import { stemOf, storedName, storedPrefix } from './stored-name';
import { BadInputFile } from './table-file';

/** A file stored with the run (an artifact or raw data). */
export interface PlannedFile {
  /** Absolute path on this computer. */
  path: string;
  /** Relative to the folder, "/"-separated. */
  relative: string;
  fileName: string;
  storedName: string;
  /** The key in info.dataFiles: the stem, or the whole name when two files share a stem. */
  key: string;
  size: number;
}

/** Everything one folder's run needs, read and checked before anything is written. */
export interface FolderPlan {
  folder: string;
  name: string;
  prefix: string;
  sendTime: Date;
  config: JsonObject;
  metrics: MetricSeries[];
  results: JsonObject | null;
  inputs: { role: 'config' | 'metrics' | 'results'; relative: string; size: number }[];
  artifacts: PlannedFile[];
  raw: PlannedFile[];
  problems: string[];
}

/** Reads a folder's inputs as mapped; every problem found is listed, nothing is thrown. */
export async function planFolder(
  folder: string,
  mapping: SendMapping,
  sendTime: Date,
): Promise<FolderPlan> {
  const name = basename(folder);
  const prefix = storedPrefix(name, sendTime);
  const plan: FolderPlan = {
    folder,
    name,
    prefix,
    sendTime,
    config: { experiment: name },
    metrics: [],
    results: null,
    inputs: [],
    artifacts: [],
    raw: [],
    problems: [],
  };
  let files: string[];
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) throw new Error('not a folder');
    files = await listFolderFiles(folder);
  } catch (error) {
    plan.problems.push(
      error instanceof BadInputFile ? error.message : `${folder} is not a readable folder.`,
    );
    return plan;
  }
  const attempt = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      if (error instanceof BadInputFile) plan.problems.push(error.message);
      else if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
        plan.problems.push(`${error.message.replace(/^ENOENT: /u, '')}`);
      } else throw error;
    }
  };
  const input = async (role: 'config' | 'metrics' | 'results', relative: string) => {
    const path = join(folder, relative);
    const size = (await stat(path)).size;
    plan.inputs.push({ role, relative, size });
    return path;
  };

  const config = mapping.config;
  if (config?.fromName !== undefined) {
    const parsed = configFromName(config.fromName, name);
    if (parsed === null) {
      plan.problems.push(`The folder name "${name}" does not match "${config.fromName}".`);
    } else Object.assign(plan.config, parsed);
  }
  if (config?.file !== undefined) {
    const file = config.file;
    await attempt(async () => {
      const path = await input('config', file);
      // A file key `experiment` overrides the folder's name, as Sacred's config update does.
      Object.assign(plan.config, await readConfigFile(path, file, config));
    });
  }
  if (mapping.metrics !== undefined) {
    const metrics = mapping.metrics;
    await attempt(async () => {
      plan.metrics = await readMetricsFile(await input('metrics', metrics.file), metrics.file, {
        header: metrics.header,
        separator: metrics.separator,
        columns: metrics.columns,
        xAxis: metrics.xAxis,
      });
    });
  }
  if (mapping.results !== undefined) {
    const results = mapping.results;
    await attempt(async () => {
      plan.results = await readResultsFile(await input('results', results.file), results.file);
    });
  }
  const pick = async (globs: readonly string[], what: string): Promise<PlannedFile[]> => {
    const chosen = new Set<string>();
    for (const glob of globs) {
      const matched = matchGlob(files, glob);
      if (matched.length === 0) plan.problems.push(`No ${what} file matches "${glob}".`);
      for (const file of matched) chosen.add(file);
    }
    const picked: PlannedFile[] = [];
    const keys = new Set<string>();
    for (const relative of [...chosen].sort()) {
      const path = join(folder, relative);
      const fileName = basename(relative);
      const stem = stemOf(fileName);
      const key = keys.has(stem) ? fileName : stem;
      keys.add(key);
      picked.push({
        path,
        relative,
        fileName,
        storedName: storedName(prefix, fileName),
        key,
        size: (await stat(path)).size,
      });
    }
    return picked;
  };
  plan.artifacts = await pick(mapping.artifacts ?? [], 'artifact');
  plan.raw = await pick(mapping.rawData ?? [], 'raw data');
  // Per role: one file may be both an artifact and raw data (GridFS and MinIO apart).
  const storedTwice = [
    ...duplicates(plan.artifacts.map((f) => f.storedName)),
    ...duplicates(plan.raw.map((f) => f.storedName)),
  ];
  for (const stored of storedTwice) {
    plan.problems.push(`Two files would be stored as "${stored}" (same name in two sub-folders).`);
  }
  return plan;
}

/**
 * The plan with its stored names under `prefix`: a send names a folder's files with the time it
 * starts that folder (when the folder's name holds no time), and a resume with the prefix of
 * the run it completes, so that the files it finds stored are the ones it would store.
 */
export function withPrefix(plan: FolderPlan, prefix: string): FolderPlan {
  const rename = (file: PlannedFile): PlannedFile => ({
    ...file,
    storedName: storedName(prefix, file.fileName),
  });
  return { ...plan, prefix, artifacts: plan.artifacts.map(rename), raw: plan.raw.map(rename) };
}

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) (seen.has(name) ? twice : seen).add(name);
  return [...twice];
}
