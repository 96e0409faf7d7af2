import type { Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { JsonObject, JsonValue } from '../../../shared/contract';
import { isJsonSafe, toJsonSafe } from '../../../shared/json-safe';
import { readFileTail } from '../file-tail';
import type { FileTail } from '../file-tail';
import { checkContained, outsideMessage } from '../files/contained-path';
import { fileCalls } from '../files/file-calls';
import { FileRefusedError, fileKind, formatCap } from '../files/regular-file';
import { emptyParsedRun } from './empty-parsed-run';
import { FolderReadContext } from './folder-read-context';
import type {
  ParsedArtifact,
  ParsedMetric,
  ParsedResource,
  ParsedRun,
  ParsedSourceFile,
  RunDirEntry,
} from './parsed-run';
import { readMetricsFile } from './read-metrics-file';
import type { MetricsFileResult } from './read-metrics-file';
import { RUN_FILE_CAPS } from './run-file-caps';
import { hintsFor, listRunDir, listedContainment, listedKind } from './run-dir-listing';
import type { ListedKind, RunDirListing } from './run-dir-listing';
import { sacredTimeToIso, unreadableTimeWarnings } from './sacred-time';
import { readJsonFileTolerant } from './tolerant-json';
import { omniboardNotes, omniboardTags } from '../writes/omniboard-annotations';

export interface ReadRunDirOptions {
  /** How much of the end of cout.txt to keep (default 4 MiB). */
  coutTailBytes?: number;
  /** Extra reads of run.json/config.json/metrics.json while they look mid-rewrite (default 2). */
  retries?: number;
  retryDelayMs?: number;
  /**
   * Folders whose files the run may name (artifacts, source files): the source folder and the
   * folders the user trusts for the source. Default: the source folder only.
   */
  allowedFolders?: readonly string[];
  /** The source's name, for the "how to trust" part of messages. */
  source?: string;
  /**
   * What a sync works out once for all its runs (the real allowed folders, shared files).
   * Default: a context of this read alone, made from `allowedFolders`.
   */
  context?: FolderReadContext;
}

/** What the readers of names (sources, artifacts) need to check where a name leads. */
interface NameRules {
  realRoots: string[];
  source: string | null;
  warnings: string[];
  context: FolderReadContext;
}

/** What one of a run's reads has to say: warnings, and signs of a file being rewritten. */
interface Notes {
  warnings: string[];
  halfWritten: string[];
}

function newNotes(): Notes {
  return { warnings: [], halfWritten: [] };
}

const DEFAULT_COUT_TAIL_BYTES = 4 * 1024 * 1024;

type Dict = Record<string, unknown>;

function asDict(value: unknown): Dict | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Dict)
    : null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * A value parsed from a run's JSON file, JSON-safe. Nearly every such tree already is (see
 * isJsonSafe), and is then kept rather than copied: it is this read's own, shared with nothing.
 */
function safeJson(value: unknown): JsonValue {
  return isJsonSafe(value) ? value : toJsonSafe(value);
}

function jsonObject(value: unknown): JsonObject {
  const safe: JsonValue = safeJson(value);
  return typeof safe === 'object' && safe !== null && !Array.isArray(safe) ? safe : {};
}

function errorText(error: unknown): string {
  if (error instanceof FileRefusedError) return error.message;
  if (typeof error === 'object' && error !== null && 'code' in error) {
    return String((error as { code: unknown }).code);
  }
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Paths written on Windows arrive with backslashes; make them usable here. */
function portablePath(path: string): string {
  return sep === '/' ? path.replace(/\\/g, '/') : path;
}

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

async function statOrNull(path: string): Promise<{ size: number; isFile: boolean } | null> {
  try {
    const info = await fileCalls().stat(path);
    return { size: info.size, isFile: info.isFile() };
  } catch {
    return null;
  }
}

async function statsOrNull(path: string): Promise<Stats | null> {
  try {
    return await fileCalls().stat(path);
  } catch {
    return null;
  }
}

/**
 * Where a name the run gives leads, by the rule of main/core/files/contained-path.ts: null
 * when it is fine to read (or simply missing), else the warning saying why it is not read.
 */
async function refusalOf(
  what: string,
  path: string,
  rules: NameRules,
  shared = false,
): Promise<string | null> {
  const contained = shared
    ? await rules.context.containmentOnce(path)
    : await checkContained(path, rules.realRoots);
  if (contained.kind === 'outside') return outsideMessage(what, contained.realPath, rules.source);
  if (contained.kind === 'missing') return null;
  const info = shared
    ? await rules.context.statOnce(contained.realPath)
    : await statsOrNull(contained.realPath);
  if (info !== null && !info.isFile()) {
    return `${what} is ${fileKind(info)}, not a regular file; it is not read`;
  }
  return null;
}

/**
 * One source entry: `[name, "_sources/<stem>_<md5>.py"]` relative to the folder (or, with
 * copy_sources=False, a relative path to the original file), or for queued runs
 * `{"py/tuple": [name, md5]}` with the file copied flat into the run directory.
 */
async function readSource(
  folder: string,
  runDir: string,
  item: unknown,
  rules: NameRules,
): Promise<ParsedSourceFile | null> {
  const tuple = asDict(item)?.['py/tuple'];
  const pair = Array.isArray(item) ? item : Array.isArray(tuple) ? tuple : null;
  if (!pair) return null;
  const name = asString(pair[0]);
  if (name === null) return null;
  const second = asString(pair[1]);
  const candidates: string[] = [];
  if (Array.isArray(item) && second !== null) {
    candidates.push(resolve(folder, portablePath(second)));
  } else {
    candidates.push(join(runDir, lastSegment(name)));
    if (second !== null && /[\\/]/.test(second))
      candidates.push(resolve(folder, portablePath(second)));
  }
  for (const candidate of candidates) {
    // Anything there counts (a FIFO too): getSourceFile checks it again and says why it will
    // not read it, and a file outside becomes readable once the user trusts its folder.
    // Runs of one experiment name the same files in _sources: each is checked once a sync.
    if ((await rules.context.statOnce(candidate)) === null) continue;
    const refusal = await refusalOf(`source file "${name}"`, candidate, rules, true);
    if (refusal !== null) rules.warnings.push(refusal);
    return { name, absPath: candidate };
  }
  return { name, absPath: null };
}

async function readSources(
  folder: string,
  runDir: string,
  run: Dict,
  rules: NameRules,
): Promise<ParsedSourceFile[]> {
  const sources = asDict(run.experiment)?.sources;
  if (!Array.isArray(sources)) return [];
  // Each source's warnings apart, then in the run's order: the order the checks finish in
  // depends on the file system, and the cache stores the warnings as a list.
  const apart = sources.map(() => ({ ...rules, warnings: [] as string[] }));
  const read = await Promise.all(
    sources.map((item, index) => readSource(folder, runDir, item, apart[index] ?? rules)),
  );
  for (const own of apart) rules.warnings.push(...own.warnings);
  return read.filter((source): source is ParsedSourceFile => source !== null);
}

/** `[[original path, stored path]]`; the stored path is resolved by basename in `_resources`. */
async function readResources(
  folder: string,
  run: Dict,
  context: FolderReadContext,
): Promise<ParsedResource[]> {
  const resources = run.resources;
  if (!Array.isArray(resources)) return [];
  const read = await Promise.all(
    resources.map(async (item): Promise<ParsedResource | null> => {
      const pair = Array.isArray(item) ? item : null;
      const path = asString(pair?.[0]);
      if (path === null) return null;
      const stored = asString(pair?.[1]);
      const file = stored ? join(folder, '_resources', lastSegment(stored)) : null;
      const absPath = file !== null && (await context.statOnce(file))?.isFile() ? file : null;
      return { path, stored, absPath };
    }),
  );
  return read.filter((resource): resource is ParsedResource => resource !== null);
}

async function readArtifacts(
  runDir: string,
  run: Dict,
  rules: NameRules,
  listing: RunDirListing | null,
) {
  const warnings = rules.warnings;
  const names = Array.isArray(run.artifacts) ? run.artifacts : [];
  const artifacts: ParsedArtifact[] = [];
  for (const item of names) {
    const name = asString(item) ?? asString(asDict(item)?.name);
    if (name === null) continue;
    const path = resolve(runDir, name);
    const inside = relative(runDir, path);
    // Names come from the file; never let one point outside its run directory.
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      warnings.push(`artifact "${name}" points outside the run directory and is not shown`);
      artifacts.push({ name, absPath: null, size: null });
      continue;
    }
    const listed = await listedArtifact(runDir, name, path, rules, listing);
    if (listed !== null) {
      artifacts.push(listed);
      continue;
    }
    // The text of the name is not enough: the file or a folder on its way may be a link.
    const refusal = await refusalOf(`artifact "${name}"`, path, rules);
    if (refusal !== null) {
      warnings.push(refusal);
      // Kept with its path but no size: opening it checks again (a folder may become trusted).
      artifacts.push({ name, absPath: path, size: null });
      continue;
    }
    const info = await statOrNull(path);
    if (info?.isFile) {
      artifacts.push({ name, absPath: path, size: info.size });
    } else {
      warnings.push(`artifact "${name}" is missing from the run directory`);
      artifacts.push({ name, absPath: null, size: null });
    }
  }
  return artifacts;
}

/**
 * An artifact named plainly (no folder) that the run directory's listing answers for with one
 * stat instead of three calls: a regular file that is no link lies where the directory really
 * is. Null: the listing cannot tell (a link, a path with folders, no listing); check it fully.
 */
async function listedArtifact(
  runDir: string,
  name: string,
  path: string,
  rules: NameRules,
  listing: RunDirListing | null,
): Promise<ParsedArtifact | null> {
  if (name !== lastSegment(name) || join(runDir, name) !== path) return null;
  const kind = listedKind(listing, name);
  if (kind === 'missing') {
    rules.warnings.push(`artifact "${name}" is missing from the run directory`);
    return { name, absPath: null, size: null };
  }
  const contained = listedContainment(listing, name, rules.realRoots);
  if (contained === undefined) return null;
  if (!contained.inside) {
    rules.warnings.push(outsideMessage(`artifact "${name}"`, contained.realPath, rules.source));
    return { name, absPath: path, size: null };
  }
  const info = await statOrNull(path);
  if (info?.isFile) return { name, absPath: path, size: info.size };
  rules.warnings.push(`artifact "${name}" is missing from the run directory`);
  return { name, absPath: null, size: null };
}

/** The tail of cout.txt; a missing one is no output yet, not something to warn about. */
async function readCout(
  runDir: string,
  maxBytes: number,
  warnings: string[],
  listed?: ListedKind,
): Promise<FileTail> {
  if (listed === 'missing') return { text: '', truncated: false, totalBytes: 0 };
  try {
    return await readFileTail(join(runDir, 'cout.txt'), maxBytes, hintsFor(listed));
  } catch (error) {
    const reason = errorText(error);
    if (reason !== 'ENOENT') warnings.push(`cout.txt cannot be read (${reason})`);
    return { text: '', truncated: false, totalBytes: 0 };
  }
}

async function readMetrics(
  runDir: string,
  retries: number,
  retryDelayMs: number,
  warnings: string[],
  halfWritten: string[],
  listed?: ListedKind,
): Promise<ParsedMetric[]> {
  const path = join(runDir, 'metrics.json');
  // Older Sacred (< 0.7.4) and queued runs have no metrics.json: nothing to say about it.
  if (listed === 'missing') return [];
  const cap = RUN_FILE_CAPS['metrics.json'];
  // A file the listing saw as regular is checked once opened (its kind, its size against the
  // cap), with the same words; anything else is stat'ed first.
  if (listed !== 'file') {
    const info = await statsOrNull(path);
    if (info === null) return [];
    if (!info.isFile()) {
      warnings.push(`metrics.json is ${fileKind(info)}, not a regular file; it is not read`);
      return [];
    }
    if (info.size > cap) {
      warnings.push(`metrics.json is larger than ${formatCap(cap)}; it is not read`);
      return [];
    }
  }
  let result: MetricsFileResult | null = null;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(retryDelayMs);
    const checkedOnOpen = attempt === 0 && listed === 'file';
    try {
      // Listed or just stat'ed as a regular file: the open need not stat it again (a read after
      // a pause does).
      result = await readMetricsFile(path, {
        hints: { listedRegular: attempt === 0 },
        ...(checkedOnOpen ? { maxBytes: cap } : {}),
      });
    } catch (error) {
      if (checkedOnOpen) {
        // What the stat would have said: gone since the listing is no metrics yet.
        if (errorText(error) === 'ENOENT') return [];
        if (error instanceof FileRefusedError) {
          warnings.push(error.message);
          return [];
        }
      }
      warnings.push(`metrics.json cannot be read (${errorText(error)})`);
      return [];
    }
    if (!result.truncated && !result.invalid) break;
  }
  if (result?.warning) warnings.push(result.warning);
  if (result !== null && (result.truncated || result.invalid)) {
    halfWritten.push(`metrics.json looked half-written (${result.warning ?? 'cut short'})`);
  }
  return result?.metrics ?? [];
}

async function readConfig(
  runDir: string,
  retries: number,
  retryDelayMs: number,
  warnings: string[],
  halfWritten: string[] = [],
  listed?: ListedKind,
): Promise<JsonObject> {
  const config = await readJsonFileTolerant(join(runDir, 'config.json'), {
    retries,
    retryDelayMs,
    maxBytes: RUN_FILE_CAPS['config.json'],
    listed,
  });
  if (!config.ok) {
    warnings.push(config.reason);
    if (config.halfWritten) halfWritten.push(config.reason);
    return {};
  }
  if (config.note !== undefined) warnings.push(config.note);
  if (!asDict(config.value)) {
    warnings.push('config.json does not hold a JSON object');
    return {};
  }
  return jsonObject(config.value);
}

async function readInfo(
  runDir: string,
  retries: number,
  retryDelayMs: number,
  warnings: string[],
  halfWritten: string[],
  listed?: ListedKind,
): Promise<JsonObject> {
  const info = await readJsonFileTolerant(join(runDir, 'info.json'), {
    retries,
    retryDelayMs,
    maxBytes: RUN_FILE_CAPS['info.json'],
    listed,
  });
  // info.json is only written once the run has put something in its info dict.
  if (!info.ok) {
    if (!info.missing) warnings.push(info.reason);
    if (info.halfWritten) halfWritten.push(info.reason);
    return {};
  }
  if (info.note !== undefined) warnings.push(info.note);
  if (!asDict(info.value)) {
    warnings.push('info.json does not hold a JSON object');
    return {};
  }
  return jsonObject(info.value);
}

function readFailTrace(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return null;
  return value.map((line) => (typeof line === 'string' ? line : JSON.stringify(toJsonSafe(line))));
}

/** The files Sacred writes into a run directory, read by name rather than named by the run. */
const RUN_FILES = ['run.json', 'config.json', 'info.json', 'metrics.json', 'cout.txt'] as const;

/** The run files whose real path lies outside the allowed folders, with the message for each. */
async function outsideRunFiles(
  runDir: string,
  rules: NameRules,
  listing: RunDirListing | null,
): Promise<Map<string, string>> {
  const outside = new Map<string, string>();
  await Promise.all(
    RUN_FILES.map(async (name) => {
      // A listed regular file is answered by the listing; a missing one is never read.
      const listed = listedContainment(listing, name, rules.realRoots);
      if (listed !== undefined) {
        if (!listed.inside) {
          outside.set(name, outsideMessage(name, listed.realPath, rules.source));
        }
        return;
      }
      if (listedKind(listing, name) === 'missing') return;
      const contained = await checkContained(join(runDir, name), rules.realRoots);
      if (contained.kind === 'outside') {
        outside.set(name, outsideMessage(name, contained.realPath, rules.source));
      }
    }),
  );
  return outside;
}

/** What is wrong with a run.json status that is not text, in words. */
function statusProblem(value: unknown): string {
  if (value === undefined) return 'run.json has no status';
  if (value === null) return "run.json's status is null, not text";
  if (Array.isArray(value)) return "run.json's status is a list, not text";
  const kind = typeof value;
  if (kind === 'object') return "run.json's status is an object, not text";
  const shown = JSON.stringify(toJsonSafe(value)).slice(0, 40);
  return `run.json's status is a ${kind === 'number' ? 'number' : kind} (${shown}), not text`;
}

/**
 * Reads one FileStorageObserver run directory. It never throws for what is in the files: a run
 * that cannot be shown gets `unreadable` with the reason, lesser problems go to `warnings`.
 */
export async function readRunDir(
  folder: string,
  entry: RunDirEntry,
  options: ReadRunDirOptions = {},
): Promise<ParsedRun> {
  const root = resolve(folder);
  const runDir = resolve(root, entry.dir);
  const retries = Math.max(0, options.retries ?? 2);
  const retryDelayMs = Math.max(0, options.retryDelayMs ?? 100);
  const coutTailBytes = options.coutTailBytes ?? DEFAULT_COUT_TAIL_BYTES;
  const parsed = emptyParsedRun(entry.id, 'UNREADABLE');
  const warnings = parsed.warnings;
  const halfWritten: string[] = [];
  const context = options.context ?? new FolderReadContext(options.allowedFolders ?? [root]);
  const [realRoots, listing] = await Promise.all([context.realRoots, listRunDir(runDir)]);
  const rules: NameRules = { realRoots, source: options.source ?? null, warnings, context };
  const kind = (name: string): ListedKind | undefined => listedKind(listing, name);
  // The run's own files may be links too: one leading outside is not read (a cout.txt linked
  // to ~/.ssh/id_rsa would be shown as captured output, a config.json to a credentials file
  // as the config).
  const outside = await outsideRunFiles(runDir, rules, listing);
  const guard = <T>(name: string, empty: T, read: () => Promise<T>): Promise<T> => {
    const refusal = outside.get(name);
    if (refusal === undefined) return read();
    warnings.push(refusal);
    return Promise.resolve(empty);
  };
  const noOutput: FileTail = { text: '', truncated: false, totalBytes: 0 };
  const runRefusal = outside.get('run.json');
  if (runRefusal !== undefined) {
    parsed.unreadable = runRefusal;
    return parsed;
  }

  const runFile = await readJsonFileTolerant(join(runDir, 'run.json'), {
    retries,
    retryDelayMs,
    maxBytes: RUN_FILE_CAPS['run.json'],
    listed: kind('run.json'),
  });
  const run = runFile.ok ? asDict(runFile.value) : null;
  if (runFile.ok && runFile.note !== undefined) warnings.push(runFile.note);
  if (!run) {
    parsed.unreadable = runFile.ok ? 'run.json does not hold a JSON object' : runFile.reason;
    if (!runFile.ok && runFile.halfWritten) parsed.halfWritten = [runFile.reason];
    // What else is there still helps the user see what happened to this run.
    parsed.config = await guard('config.json', {}, () =>
      readConfig(runDir, 0, 0, warnings, [], kind('config.json')),
    );
    parsed.capturedOutput = await guard('cout.txt', noOutput, () =>
      readCout(runDir, coutTailBytes, warnings, kind('cout.txt')),
    );
    return parsed;
  }

  // The reads below run at once; each keeps its own notes, added in this order after all are
  // done. The order they finish in depends on the file system (the pool's threads, or none
  // when the read worker calls it synchronously), and the cache stores the notes as lists.
  const [configNotes, infoNotes, metricsNotes, coutNotes, sourceNotes, artifactNotes] = [
    newNotes(),
    newNotes(),
    newNotes(),
    newNotes(),
    newNotes(),
    newNotes(),
  ];
  const [config, info, metrics, capturedOutput, sourceFiles, resources, artifacts] =
    await Promise.all([
      guard('config.json', {}, () =>
        readConfig(
          runDir,
          retries,
          retryDelayMs,
          configNotes.warnings,
          configNotes.halfWritten,
          kind('config.json'),
        ),
      ),
      guard('info.json', {}, () =>
        readInfo(
          runDir,
          retries,
          retryDelayMs,
          infoNotes.warnings,
          infoNotes.halfWritten,
          kind('info.json'),
        ),
      ),
      guard('metrics.json', [], () =>
        readMetrics(
          runDir,
          retries,
          retryDelayMs,
          metricsNotes.warnings,
          metricsNotes.halfWritten,
          kind('metrics.json'),
        ),
      ),
      guard('cout.txt', noOutput, () =>
        readCout(runDir, coutTailBytes, coutNotes.warnings, kind('cout.txt')),
      ),
      readSources(root, runDir, run, { ...rules, warnings: sourceNotes.warnings }),
      readResources(root, run, context),
      readArtifacts(runDir, run, { ...rules, warnings: artifactNotes.warnings }, listing),
    ]);
  for (const note of [
    configNotes,
    infoNotes,
    metricsNotes,
    coutNotes,
    sourceNotes,
    artifactNotes,
  ]) {
    warnings.push(...note.warnings);
    halfWritten.push(...note.halfWritten);
  }
  if (halfWritten.length > 0) parsed.halfWritten = halfWritten;

  const experiment = asDict(run.experiment);
  const host = asDict(run.host);
  const meta = asDict(run.meta);
  const status = asString(run.status);
  if (status === null) warnings.push(statusProblem(run.status));

  parsed.status = status ?? 'UNKNOWN';
  parsed.experiment = asString(experiment?.name);
  parsed.command = asString(run.command);
  parsed.startTime = sacredTimeToIso(run.start_time);
  parsed.stopTime = sacredTimeToIso(run.stop_time);
  parsed.heartbeat = sacredTimeToIso(run.heartbeat);
  warnings.push(...unreadableTimeWarnings(run));
  parsed.hostname = asString(host?.hostname);
  parsed.config = config;
  parsed.result = safeJson(run.result);
  // As Omniboard shows them (the omniboard object we write into run.json wins).
  parsed.comment = omniboardNotes(run) || null;
  parsed.tags = omniboardTags(run, config);
  parsed.info = info;
  parsed.hostInfo = jsonObject(host);
  parsed.experimentInfo = jsonObject(experiment);
  parsed.meta = jsonObject(meta);
  parsed.failTrace = readFailTrace(run.fail_trace);
  parsed.sourceFiles = sourceFiles;
  parsed.resources = resources;
  parsed.artifacts = artifacts;
  parsed.metrics = metrics;
  parsed.capturedOutput = capturedOutput;
  return parsed;
}
