import { join } from 'node:path';
import type { RunDetail } from '../../../shared/contract';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { ArtifactsService } from '../artifacts/artifacts-service';
import type { ArtifactRow, MetricRow, RunDetailRow, SourceRow } from '../cache/cache-rows';
import type { CacheStore } from '../cache/cache-store';
import type { MetricRangeStore } from '../cache/metric-range-store';
import { capturedOutputFrom } from '../captured-output-from';
import { readFileHead, readFileTail, utf8Tail } from '../file-tail';
import { checkContained, realFolders } from '../files/contained-path';
import { checkNamedFile } from '../files/named-file';
import { FileRefusedError } from '../files/regular-file';
import { readMetricSeries } from '../metrics/read-metric-series';
import type { MongoSourcesService } from '../mongo/mongo-sources-service';
import type { ServiceMethods } from '../parsed-methods';
import { listedSourceFile, toRunDetail, toRunSummary } from '../run-shapes';

/** Source files are for reading, not for multi-megabyte generated code. */
export const SOURCE_FILE_CAP_BYTES = 2 * 1024 * 1024;

/** The contract methods this service owns: reading cached runs and what they name on disk. */
export const RUN_READ_METHODS = [
  'listRuns',
  'getRun',
  'getRuns',
  'getCapturedOutput',
  'getMetric',
  'getSourceFile',
] as const;

export interface RunReadsDeps {
  store: CacheStore;
  metricRanges: MetricRangeStore;
  now: () => number;
  requireSource: (name: string) => SourceRow;
  requireRun: (source: string, id: string) => RunDetailRow;
  /** The folders whose files the runs of a source may name (contained-path.ts). */
  allowedFolders: (source: string) => string[];
  mongo: Pick<MongoSourcesService, 'getCapturedOutput' | 'getSourceFile'>;
  artifacts: Pick<ArtifactsService, 'markCached'>;
}

export type RunReadsService = ServiceMethods<(typeof RUN_READ_METHODS)[number]>;

export function createRunReadsService(deps: RunReadsDeps): RunReadsService {
  const { store, now, requireSource, requireRun, allowedFolders, mongo, artifacts } = deps;

  const runDetail = (source: string, id: string): RunDetail => {
    const row = requireRun(source, id);
    const artifactRows = store.artifactsOfRun(source, id);
    const detail = toRunDetail(row, store.metricsOfRun(source, id), artifactRows, now());
    artifacts.markCached(detail.artifacts, artifactRows);
    return detail;
  };

  /** A run's directory when its cout.txt may be read from disk now (not a link outside). */
  const outputDir = async (source: string, dir: string | null): Promise<string | null> => {
    if (dir === null) return null;
    const contained = await checkContained(
      join(dir, 'cout.txt'),
      await realFolders(allowedFolders(source)),
    );
    return contained.kind === 'inside' ? dir : null;
  };

  const service: RunReadsService = {
    async listRuns({ source, limit, offset }) {
      if (source !== undefined) requireSource(source);
      const page = store.listRuns(source ?? null, limit ?? null, offset ?? 0);
      const metrics = groupByRun(page.metrics);
      const artifactsByRun = groupByRun(page.artifacts);
      const nowMs = now();
      const summaries = page.rows.map((row) => {
        const key = runKey(row.source, row.run_id);
        return toRunSummary(row, metrics.get(key) ?? [], artifactsByRun.get(key) ?? [], nowMs);
      });
      artifacts.markCached(
        summaries.flatMap((run) => run.artifacts),
        page.artifacts,
      );
      return { runs: summaries, total: page.total };
    },

    async getRun({ source, id }) {
      return runDetail(source, id);
    },

    /**
     * Each run read exactly as getRun reads it; a run that getRun would refuse carries that
     * error in its place and the others still answer.
     */
    async getRuns({ runs }) {
      return {
        runs: runs.map(({ source, id }) => {
          try {
            return runDetail(source, id);
          } catch (error) {
            // A bug is not a run's answer: it fails the call as it would fail getRun.
            if (!isAltarError(error)) throw error;
            return { error: error.toPayload() };
          }
        }),
      };
    },

    async getCapturedOutput({ source, id, maxBytes, fromByte }) {
      const run = requireRun(source, id);
      const kind = requireSource(source).kind;
      if (fromByte !== undefined) {
        return capturedOutputFrom({
          fromByte,
          maxBytes,
          dir: kind === 'folder' ? await outputDir(source, run.dir) : null,
          readWhole: () => service.getCapturedOutput({ source, id }),
        });
      }
      if (kind === 'mongo') return mongo.getCapturedOutput(source, id, maxBytes);
      const cached = store.getCapturedOutput(source, id);
      if (cached === null) {
        throw new AltarError('NOT_FOUND', `Source "${source}" has no run "${id}".`);
      }
      const cachedBytes = Buffer.byteLength(cached.text, 'utf8');
      if (maxBytes === undefined) {
        return { text: cached.text, truncated: cached.truncated, totalBytes: cached.totalBytes };
      }
      const diskDir =
        cached.truncated && maxBytes > cachedBytes ? await outputDir(source, cached.dir) : null;
      if (diskDir !== null) {
        // The cache holds only a tail; the folder may still have the whole file.
        try {
          return await readFileTail(join(diskDir, 'cout.txt'), maxBytes);
        } catch {
          // Gone or unreadable: the cached tail is the best there is.
        }
      }
      const tail = utf8Tail(cached.text, maxBytes);
      return {
        text: tail.text,
        truncated: cached.truncated || tail.bytes < cachedBytes,
        totalBytes: cached.totalBytes,
      };
    },

    async getMetric(query) {
      requireRun(query.source, query.id);
      return readMetricSeries(store, deps.metricRanges, query);
    },

    async getSourceFile({ source, id, name }) {
      const row = requireRun(source, id);
      if (requireSource(source).kind === 'mongo') return mongo.getSourceFile(source, id, name);
      const file = listedSourceFile(row, { source, runId: id, name }, 'absPath');
      try {
        const checked = await checkNamedFile(
          file.absPath,
          `source file "${name}"`,
          allowedFolders(source),
          source,
        );
        const content = await readFileHead(checked.realPath, SOURCE_FILE_CAP_BYTES, checked.within);
        return { name, text: content.text, truncated: content.truncated };
      } catch (error) {
        if (error instanceof AltarError) throw error;
        if (error instanceof FileRefusedError) throw new AltarError('FORBIDDEN', error.message);
        throw new AltarError(
          'NOT_FOUND',
          `The source file "${name}" is no longer readable at ${file.absPath}` +
            (error instanceof Error && 'code' in error ? ` (${String(error.code)}).` : '.'),
        );
      }
    },
  };
  return service;
}

function runKey(source: string, runId: string): string {
  return `${source}\u0000${runId}`;
}

function groupByRun<T extends MetricRow | ArtifactRow>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const key = runKey(row.source, row.run_id);
    const list = map.get(key);
    if (list === undefined) map.set(key, [row]);
    else list.push(row);
  }
  return map;
}
