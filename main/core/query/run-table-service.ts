import { isAbsolute } from 'node:path';
import type { MethodArgs, MethodName, MethodResult, View } from '../../../shared/contract';
import { hasOnlyStartColumns, withInformativeColumns } from '../../../shared/default-table-columns';
import { AltarError } from '../../../shared/errors';
import type { ExportProgress } from '../../../shared/events';
import { describeFilterError, formatFilter, parseFilter } from '../../../shared/filter';
import type { CacheStore } from '../cache/cache-store';
import { BackgroundCatalogBuild } from './background-catalog-build';
import type { CatalogBuildHooks } from './background-catalog-build';
import { hasReadyCatalog } from './column-catalog-store';
import { listColumns } from './discover-columns';
import { distinctValues } from './distinct-values';
import { exportMetrics } from './export-metrics';
import { exportRuns } from './export-runs';
import { fileSink, memorySink } from './export-sink';
import type { ExportSink } from './export-sink';
import { QueryEngine, resolveColumn } from './query-engine';
import { ViewStore } from './view-store';

export interface RunTableServiceOptions {
  store: CacheStore;
  now: () => number;
  emitProgress: (progress: ExportProgress) => void;
  /** The engine to answer with; a new one over `store` by default (tests pass their own). */
  engine?: QueryEngine;
  /** Tests only: a hook into the column catalog's background build. */
  catalogBuildHooks?: CatalogBuildHooks;
}

type Handler<M extends MethodName> = (args: MethodArgs<M>) => Promise<MethodResult<M>>;

type RunTableMethodName =
  | 'queryRuns'
  | 'listColumns'
  | 'distinctValues'
  | 'listViews'
  | 'saveView'
  | 'renameView'
  | 'deleteView'
  | 'exportRuns'
  | 'exportMetrics';

export type RunTableMethods = { [M in RunTableMethodName]: Handler<M> } & {
  /**
   * Answers the default view's first row once, with the columns the table will show for it
   * (the informative ones of a stored catalog too). A new engine loads each source's rows and
   * columns on first use (~0.5 s at 100k runs); done while the window is still loading, the
   * table's first query finds them ready, and the idle steps prepare their sort keys.
   */
  warmUp(): void;
  /**
   * Builds, without blocking other calls, the column catalog of every source that has none
   * (after a first sync, or at start), so the column picker's first open finds it ready.
   */
  prepareColumnCatalogs(): Promise<void>;
  /** Stops background work (a catalog build) at its next slice: the core is closing. */
  stopBackgroundWork(): void;
};

/** The run table's methods (issue 6) over the cache; arguments are already validated. */
export function createRunTableService(options: RunTableServiceOptions): RunTableMethods {
  const { store, now } = options;
  const engine = options.engine ?? new QueryEngine(store.database, now);
  const views = new ViewStore(store.database, now);
  const catalogs = new BackgroundCatalogBuild(store.database, options.catalogBuildHooks);

  /**
   * The columns the table shows first for `view`: a view of the start columns shows the
   * catalog's informative ones too (shared/default-table-columns.ts), once the catalog comes.
   * Warmed up with the view's (their stored sort keys read and their whole columns loaded in
   * idle time), a sort clicked soon after a restart finds them ready; queued only when the
   * table's query asked for them, those loads were still under way at the click (issue 13).
   * Read only from stored catalogs: a build is the background's (prepareColumnCatalogs).
   */
  const columnsShownFirst = (view: View): string[] => {
    if (!hasOnlyStartColumns(view.columns)) return view.columns;
    const sources = engine.resolveSources(view.sources ?? undefined);
    if (!sources.every((source) => hasReadyCatalog(store.database, source))) return view.columns;
    const catalog = listColumns(store.database, engine, engine.index.segmentsOf(sources));
    return withInformativeColumns(view.columns, catalog);
  };

  const withSink = async (
    path: string | undefined,
    operationId: string | undefined,
    work: (
      sink: ExportSink,
      progress: (done: number, total: number) => void,
    ) => Promise<{
      rows: number;
      bytes: number;
    }>,
  ) => {
    if (path !== undefined && !isAbsolute(path)) {
      throw new AltarError('INVALID_ARGUMENT', `The export path must be absolute: ${path}`);
    }
    const sink = path === undefined ? memorySink() : await fileSink(path);
    const report = (phase: ExportProgress['phase'], done: number, total: number): void => {
      if (operationId !== undefined) {
        options.emitProgress({ operationId, phase, done, total });
      }
    };
    try {
      const counts = await work(sink, (done, total) => report('writing', done, total));
      const text = await sink.finish();
      report('done', counts.rows, counts.rows);
      return { ...counts, text, path: path ?? null };
    } catch (error) {
      await sink.abort();
      report('failed', 0, 0);
      throw error;
    }
  };

  return {
    warmUp() {
      const view = views.list().find((candidate) => candidate.isDefault);
      if (view === undefined) return;
      const parsed = parseFilter(view.filter);
      try {
        engine.query({
          columns: columnsShownFirst(view),
          sort: view.sort,
          ...(view.sources === null ? {} : { sources: view.sources }),
          ...(parsed.ok && parsed.ast !== null ? { where: parsed.ast } : {}),
          limit: 1,
        });
      } catch {
        // A view naming a removed source or column: the table's own query will say so.
      }
    },

    async queryRuns(args) {
      return engine.query(args);
    },

    async prepareColumnCatalogs() {
      await catalogs.ensure(engine.resolveSources(undefined));
    },

    stopBackgroundWork() {
      catalogs.close();
    },

    async listColumns(args) {
      const sources = engine.resolveSources(args.sources);
      // A source without a catalog gets one built in slices first: the picker waits, other
      // calls do not (building it in one go took seconds at 100k runs, blocking every call).
      await catalogs.ensure(sources);
      return {
        columns: listColumns(store.database, engine, engine.index.segmentsOf(sources)),
      };
    },

    async distinctValues(args) {
      return distinctValues(engine, resolveColumn(args.column), args, now());
    },

    async listViews() {
      return views.list();
    },

    async saveView(args) {
      const parsed = parseFilter(args.filter);
      if (!parsed.ok) {
        throw new AltarError('INVALID_ARGUMENT', `filter: ${describeFilterError(parsed.error)}`);
      }
      const columns = args.columns.map((id) => resolveColumn(id).id);
      const sort = args.sort.map((spec) => ({ ...spec, column: resolveColumn(spec.column).id }));
      return views.save({ ...args, columns, sort, filter: formatFilter(parsed.ast) });
    },

    async renameView(args) {
      return views.rename(args.id, args.name);
    },

    async deleteView(args) {
      views.delete(args.id);
      return { removed: true as const };
    },

    async exportRuns(args) {
      return withSink(args.path, args.operationId, (sink, progress) =>
        exportRuns(engine, args, sink, ({ done, total }) => progress(done, total)),
      );
    },

    async exportMetrics(args) {
      return withSink(args.path, args.operationId, (sink, progress) =>
        exportMetrics(engine, store, args, sink, ({ done, total }) => progress(done, total)),
      );
    },
  };
}

/** The contract methods this service implements (composed by the core with parsedMethods). */
export const RUN_TABLE_METHODS = [
  'queryRuns',
  'listColumns',
  'distinctValues',
  'listViews',
  'saveView',
  'renameView',
  'deleteView',
  'exportRuns',
  'exportMetrics',
] as const;
