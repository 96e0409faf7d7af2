import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunKey, SourceInfo } from '../../shared/contract';
import type { SyncProgress } from '../../shared/events';
import type { TableRoute } from '../../shared/routes';
import { AddFolderDialog } from './components/sources/AddFolderDialog';
import { ArtifactGalleryDialog } from './components/artifacts/ArtifactGalleryDialog';
import { CompareView } from './components/compare/CompareView';
import { CacheRecoveredNotice } from './components/notices/CacheRecoveredNotice';
import { SecretStoreNotice } from './components/notices/SecretStoreNotice';
import { ErrorBanner } from './components/common/ErrorBanner';
import type { BannerError } from './components/common/ErrorBanner';
import { ErrorBoundary } from './components/common/ErrorBoundary';
import { MongoDialog } from './components/connection/MongoDialog';
import { RunDetail } from './components/run-detail/RunDetail';
import { PlotRunsView } from './components/plots/PlotRunsView';
import { RunList } from './components/run-table/RunList';
import { SourceList } from './components/sources/SourceList';
import { StartScreen } from './components/sources/StartScreen';
import { GalleryContext } from './hooks/gallery-context';
import type { GalleryRequest } from './hooks/gallery-context';
import { ReportErrorContext, errorMessage } from './hooks/report-error-context';
import { useApi } from './hooks/use-api';
import { useDesktopShell } from './hooks/use-desktop-shell';
import { cameFromTable, useRoute } from './hooks/use-route';
import { useSidebarCollapsed } from './hooks/use-sidebar-collapsed';
import { WritableSourcesContext } from './hooks/source-writes-context';
import { SidebarRail } from './components/layout/SidebarRail';
import type { TableAddress } from './components/run-table/RunList';
import { runKeyString } from './model/run-values';

export function App() {
  const api = useApi();
  const [sources, setSources] = useState<SourceInfo[] | null>(null);
  /** Bumped when the cache changed, so the run table fetches its visible rows again. */
  const [refreshToken, setRefreshToken] = useState(0);
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  const [latestProgress, setLatestProgress] = useState<SyncProgress | null>(null);
  /** The sources the run table lists; null: all. */
  const [sourceSelection, setSourceSelection] = useState<string[] | null>(null);
  // Which screen shows is the address's business (Back/Forward, copied links, deep links).
  const [{ route, arrival }, navigate] = useRoute();
  const openRun = route.screen === 'run' ? route.run : null;
  const plotRuns = route.screen === 'plot' ? route.runs : null;
  const compareRuns = route.screen === 'compare' ? route.runs : null;
  /** The run table as last shown, for the way back to it and for the address bar. */
  const tableAddress = useRef<TableRoute>(
    route.screen === 'table' ? route : { screen: 'table', sources: null, filter: null, sort: null },
  );
  /** What the address asks of the run table: applied when the table loaded, and on Back. */
  const [tableRequest, setTableRequest] = useState<(TableRoute & { seq: number }) | null>(() =>
    route.screen === 'table' ? { ...route, seq: 0 } : null,
  );
  useEffect(() => {
    if (arrival === 0 || route.screen !== 'table') return;
    setSourceSelection(route.sources);
    setTableRequest({ ...route, seq: arrival });
    // Only an arrival (Back, Forward) asks the table to change; its own edits are in the route.
  }, [arrival]);
  const setOpenRun = useCallback(
    (key: RunKey | null) =>
      navigate(key === null ? tableAddress.current : { screen: 'run', run: key, tab: null }),
    [navigate],
  );
  const onTableAddress = useCallback(
    (table: TableAddress) => {
      const next: TableRoute = { screen: 'table', ...table };
      tableAddress.current = next;
      if (route.screen === 'table') navigate(next, { replace: true });
    },
    [navigate, route.screen],
  );
  const [gallery, setGallery] = useState<GalleryRequest | null>(null);
  const [addOpen, setAddOpen] = useState(false);
  const [mongoOpen, setMongoOpen] = useState(false);
  const [errors, setErrors] = useState<BannerError[]>([]);
  const [focusToken, setFocusToken] = useState(0);
  const [sidebarCollapsed, toggleSidebar] = useSidebarCollapsed();
  const nextErrorId = useRef(1);
  // The desktop app: dropped folders, deep links, File → Open Recent, the screen of last time.
  useDesktopShell({
    source: sourceSelection?.length === 1 ? (sourceSelection[0] ?? null) : null,
    openRun: setOpenRun,
    selectSource: (name) => {
      setSourceSelection([name]);
      setOpenRun(null);
    },
  });

  const reportError = useCallback((error: unknown) => {
    const message = errorMessage(error);
    setErrors((current) =>
      current.some((e) => e.message === message)
        ? current
        : [...current.slice(-4), { id: nextErrorId.current++, message }],
    );
  }, []);

  /** The sources again, and the table's rows too unless only the sources' state changed. */
  const reload = useCallback(
    async (rows = true) => {
      try {
        const sourceList = await api.listSources({});
        setSources(sourceList);
        if (rows) setRefreshToken((n) => n + 1);
      } catch (error) {
        reportError(error);
        setSources((current) => current ?? []);
      }
    },
    [api, reportError],
  );

  // Events arrive in bursts during a sync; one reload per burst is enough.
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadRows = useRef(false);
  /**
   * rows false: only the sources' state changed (a sync that wrote no run: its time, its
   * error). The table's pages are then not asked again: after a restart every sync try of an
   * unreachable folder did, and the first sort waited behind those pages (issue 13).
   */
  const scheduleReload = useCallback(
    (rows = true) => {
      reloadRows.current ||= rows;
      if (reloadTimer.current !== null) clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(() => {
        reloadTimer.current = null;
        const withRows = reloadRows.current;
        reloadRows.current = false;
        void reload(withRows);
      }, 150);
    },
    [reload],
  );

  useEffect(() => {
    void reload();
    const offChanged = api.on('sourcesChanged', (event) =>
      scheduleReload(event.runsUnchanged !== true),
    );
    // A background sync or the live refresh of a running run changed cached runs.
    const offRuns = api.on('runsChanged', () => scheduleReload());
    const offProgress = api.on('syncProgress', (event) => {
      setLatestProgress(event);
      setProgress((current) => {
        const next = { ...current };
        if (event.phase === 'done' || event.phase === 'failed') delete next[event.source];
        else next[event.source] = event;
        return next;
      });
      // The sync's end: its runsChanged or sourcesChanged says whether rows changed.
      if (event.phase === 'done' || event.phase === 'failed') scheduleReload(false);
    });
    const onRejection = (event: PromiseRejectionEvent): void => reportError(event.reason);
    window.addEventListener('unhandledrejection', onRejection);
    return () => {
      offChanged();
      offRuns();
      offProgress();
      window.removeEventListener('unhandledrejection', onRejection);
    };
  }, [api, reload, scheduleReload, reportError]);

  const sync = useCallback(
    async (names?: string[]) => {
      try {
        await api.syncSources(names === undefined ? {} : { names });
      } catch (error) {
        reportError(error);
      } finally {
        await reload();
      }
    },
    [api, reload, reportError],
  );

  const remove = useCallback(
    async (name: string) => {
      const kind = sources?.find((s) => s.name === name)?.kind;
      const untouched =
        kind === 'mongo'
          ? 'The database is not touched.'
          : 'The run folder on disk is not touched.';
      if (!window.confirm(`Remove the source “${name}” from Altar Viewer? ${untouched}`)) return;
      try {
        await api.removeSource({ name });
        setSourceSelection((current) => {
          const rest = current?.filter((s) => s !== name) ?? null;
          return rest === null || rest.length === 0 ? null : rest;
        });
        if (openRun?.source === name) setOpenRun(null);
      } catch (error) {
        reportError(error);
      } finally {
        await reload();
      }
    },
    [api, reload, reportError, openRun, sources],
  );

  const onSourceAdded = useCallback(
    (source: SourceInfo) => {
      setAddOpen(false);
      setSources((current) => [...(current ?? []).filter((s) => s.name !== source.name), source]);
      // A new source has nothing in the cache until its first sync (a MongoDB source is synced
      // by the core as it is added, so it comes back already synced or syncing).
      if (source.runCount === 0 && source.lastSyncAt === null && source.state !== 'syncing') {
        void api.syncSources({ names: [source.name] }).then(
          () => reload(),
          (error: unknown) => {
            if (!(error instanceof Error && 'code' in error && error.code === 'SYNC_IN_PROGRESS'))
              reportError(error);
            void reload();
          },
        );
      } else {
        void reload();
      }
    },
    [api, reload, reportError],
  );

  const onMongoSourceAdded = useCallback(
    (source: SourceInfo) => {
      setMongoOpen(false);
      setSourceSelection([source.name]);
      setOpenRun(null);
      onSourceAdded(source);
    },
    [onSourceAdded],
  );

  const mongoDialog = mongoOpen && (
    <MongoDialog onAdded={onMongoSourceAdded} onClose={() => setMongoOpen(false)} />
  );

  const closeRun = useCallback(() => {
    // Back when the table is the entry before: Forward then returns to this screen.
    if (cameFromTable()) window.history.back();
    else navigate(tableAddress.current);
    setFocusToken((n) => n + 1);
  }, [navigate]);

  /** Sources whose tags and notes may be edited (writes on): the editors ask this. */
  const writableKey = (sources ?? [])
    .filter((s) => s.writable)
    .map((s) => s.name)
    .join('\u0000');
  const writableSources = useMemo<ReadonlySet<string>>(
    () => new Set(writableKey === '' ? [] : writableKey.split('\u0000')),
    [writableKey],
  );

  const banner = (
    <>
      <CacheRecoveredNotice />
      <SecretStoreNotice />
      <ErrorBanner
        errors={errors}
        onDismiss={(id) => setErrors((current) => current.filter((e) => e.id !== id))}
      />
    </>
  );

  if (sources === null) {
    return (
      <ReportErrorContext.Provider value={reportError}>
        {banner}
        <div className="loading center">Loading…</div>
      </ReportErrorContext.Provider>
    );
  }

  if (sources.length === 0) {
    return (
      <ReportErrorContext.Provider value={reportError}>
        {banner}
        <StartScreen
          progress={latestProgress}
          onSourceAdded={onSourceAdded}
          onConnectMongo={() => setMongoOpen(true)}
        />
        {mongoDialog}
      </ReportErrorContext.Provider>
    );
  }

  const syncingAny = sources.some((s) => s.state === 'syncing') || Object.keys(progress).length > 0;
  const sourceFilter = sourceSelection?.length === 1 ? (sourceSelection[0] ?? null) : null;
  const filteredSource =
    sourceFilter === null ? undefined : sources.find((s) => s.name === sourceFilter);
  const emptyHint =
    filteredSource !== undefined && filteredSource.lastSyncAt === null ? (
      <>This source has not been synced yet. Press “Sync” in the sidebar to read its runs.</>
    ) : syncingAny ? (
      <>Reading runs… they appear here when the sync finishes.</>
    ) : filteredSource?.kind === 'mongo' ? (
      <>No runs in this collection yet. Press “Sync” in the sidebar to read new ones.</>
    ) : (
      <>
        No runs here yet. Sync the source, or add a folder that contains Sacred run folders (
        <code>1/</code>, <code>2/</code>, … with a <code>run.json</code>).
      </>
    );

  return (
    <ReportErrorContext.Provider value={reportError}>
      <GalleryContext.Provider value={setGallery}>
        <WritableSourcesContext.Provider value={writableSources}>
          <div className={`app${sidebarCollapsed ? ' sidebar-collapsed' : ''}`}>
            {sidebarCollapsed && <SidebarRail onExpand={toggleSidebar} />}
            <SourceList
              hidden={sidebarCollapsed}
              onCollapse={toggleSidebar}
              sources={sources}
              progress={progress}
              selected={sourceFilter}
              onSelect={(name) => {
                setSourceSelection(name === null ? null : [name]);
                setOpenRun(null);
              }}
              onSync={(names) => void sync(names)}
              onRemove={(name) => void remove(name)}
              onAdd={() => setAddOpen(true)}
              onConnectMongo={() => setMongoOpen(true)}
            />
            <main className="main">
              {banner}
              <div
                className="main-view"
                hidden={openRun !== null || plotRuns !== null || compareRuns !== null}
              >
                <RunList
                  sources={sources}
                  sourceSelection={sourceSelection}
                  onSourceSelectionChange={setSourceSelection}
                  onOpen={setOpenRun}
                  emptyHint={emptyHint}
                  focusToken={focusToken}
                  refreshToken={refreshToken}
                  onPlotSelection={(runs) => navigate({ screen: 'plot', runs })}
                  onCompareSelection={(runs) => navigate({ screen: 'compare', runs })}
                  tableRequest={tableRequest}
                  onTableAddress={onTableAddress}
                />
              </div>
              {plotRuns !== null && openRun === null && (
                <ErrorBoundary resetKey="plot-runs" onBack={closeRun}>
                  <PlotRunsView runs={plotRuns} onBack={closeRun} />
                </ErrorBoundary>
              )}
              {compareRuns !== null && openRun === null && plotRuns === null && (
                <ErrorBoundary resetKey="compare-runs" onBack={closeRun}>
                  <CompareView runs={compareRuns} onBack={closeRun} />
                </ErrorBoundary>
              )}
              {openRun !== null && (
                <ErrorBoundary resetKey={runKeyString(openRun)} onBack={closeRun}>
                  <RunDetail
                    key={runKeyString(openRun)}
                    runKey={openRun}
                    onBack={closeRun}
                    tab={route.screen === 'run' ? route.tab : null}
                    onTab={(tab) =>
                      navigate({ screen: 'run', run: openRun, tab }, { replace: true })
                    }
                  />
                </ErrorBoundary>
              )}
            </main>
          </div>
          {addOpen && <AddFolderDialog onAdded={onSourceAdded} onClose={() => setAddOpen(false)} />}
          {mongoDialog}
          {gallery !== null && (
            <ArtifactGalleryDialog request={gallery} onClose={() => setGallery(null)} />
          )}
        </WritableSourcesContext.Provider>
      </GalleryContext.Provider>
    </ReportErrorContext.Provider>
  );
}
