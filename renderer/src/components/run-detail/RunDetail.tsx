import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { RunDetail as RunDetailData, RunKey } from '../../../../shared/contract';
import type { RunTab } from '../../../../shared/routes';
import { errorMessage } from '../../hooks/report-error-context';
import { useLiveRun } from '../../hooks/use-live-run';
import { emptyPartText } from '../../model/part-problems';
import { rawDataCount } from '../../model/raw-data-rows';
import { ArtifactsTab } from '../artifacts/ArtifactsTab';
import { DataTree } from '../common/DataTree';
import { ErrorBoundary } from '../common/ErrorBoundary';
import { ExperimentTab } from './ExperimentTab';
import { FailTraceTab } from './FailTraceTab';
import { HostTab } from './HostTab';
import { InfoTab } from './InfoTab';
import { MetaTab } from './MetaTab';
import { MetricsTab } from '../plots/MetricsTab';
import { OutputTab } from './OutputTab';
import { OverviewTab } from './OverviewTab';
import { RawDataTab } from './RawDataTab';
import { ResourcesTab } from './ResourcesTab';
import { RunHeader } from './RunHeader';
import { DeleteRunButton } from '../delete-runs/DeleteRunButton';
import './run-detail.css';

/** The tabs are part of a run's address (shared/routes.ts lists them). */
type TabId = RunTab;

interface Props {
  runKey: RunKey;
  onBack: () => void;
  /** The tab the address names (null: Overview); without onTab the tab is the view's own. */
  tab?: TabId | null;
  onTab?: (tab: TabId) => void;
}

function count(label: string, n: number): string {
  return n > 0 ? `${label} (${n})` : label;
}

function tabsFor(run: RunDetailData): { id: TabId; label: string }[] {
  const tabs: { id: TabId; label: string }[] = [
    { id: 'overview', label: 'Overview' },
    { id: 'config', label: 'Config' },
    { id: 'info', label: 'Info' },
    { id: 'output', label: 'Captured output' },
  ];
  if (run.failTrace !== null && run.failTrace.length > 0) {
    tabs.push({ id: 'fail-trace', label: 'Fail trace' });
  }
  tabs.push(
    { id: 'metrics', label: count('Metrics', run.metrics.length) },
    { id: 'artifacts', label: count('Artifacts', run.artifacts.length) },
  );
  const rawData = rawDataCount(run.info);
  if (rawData > 0) tabs.push({ id: 'raw-data', label: count('Raw data', rawData) });
  tabs.push(
    { id: 'experiment', label: 'Experiment' },
    { id: 'host', label: 'Host' },
    { id: 'meta', label: 'Meta' },
    { id: 'resources', label: count('Resources', run.resources.length) },
  );
  return tabs;
}

/** Everything about one run; Esc or the back button returns to the list. */
export function RunDetail({ runKey, onBack, tab: routeTab, onTab }: Props) {
  const [reload, setReload] = useState(0);
  const [ownTab, setOwnTab] = useState<TabId>('overview');
  const tab = onTab === undefined ? ownTab : (routeTab ?? 'overview');
  const setTab = onTab ?? setOwnTab;
  const loaded = useLiveRun(runKey, reload);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      const typing = target !== null && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
      if (event.key === 'Escape' && !typing && document.querySelector('.dialog') === null) onBack();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);

  return (
    <section className="run-detail" data-testid="run-detail" aria-label={`Run ${runKey.id}`}>
      <div className="detail-topbar">
        <button type="button" onClick={onBack} title="Back to the run list (Esc)">
          ← Runs
        </button>
        <span className="muted">
          {runKey.source} / {runKey.id}
        </span>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => setReload((n) => n + 1)}>
          Reload
        </button>
        <DeleteRunButton runKey={runKey} onDeleted={onBack} />
      </div>
      {loaded.state === 'loading' && <div className="loading">Loading run…</div>}
      {loaded.state === 'error' && (
        <div className="detail-error" role="alert">
          <strong>This run could not be loaded.</strong> {errorMessage(loaded.error)}
        </div>
      )}
      {loaded.state === 'done' && (
        <RunDetailBody
          run={loaded.data}
          tab={tabsFor(loaded.data).some((t) => t.id === tab) ? tab : 'overview'}
          onTab={setTab}
        />
      )}
    </section>
  );
}

/** One tab's content; a bug in it shows a message in its place, the other tabs keep working. */
function TabContent({ id, run, children }: { id: TabId; run: RunDetailData; children: ReactNode }) {
  return (
    <ErrorBoundary resetKey={`${run.source}\u0000${run.id}\u0000${id}`}>{children}</ErrorBoundary>
  );
}

function tabBody(tab: TabId, run: RunDetailData): ReactNode {
  switch (tab) {
    case 'overview':
      return <OverviewTab run={run} />;
    case 'config':
      return (
        <DataTree
          data={run.config}
          testId="config-tree"
          emptyText={emptyPartText(run.warnings, 'config', 'This run has no config.')}
        />
      );
    case 'info':
      return <InfoTab run={run} />;
    case 'output':
      return <OutputTab run={run} />;
    case 'fail-trace':
      return <FailTraceTab trace={run.failTrace ?? []} />;
    case 'metrics':
      return <MetricsTab run={run} />;
    case 'artifacts':
      return <ArtifactsTab run={run} />;
    case 'raw-data':
      return <RawDataTab run={run} />;
    case 'experiment':
      return <ExperimentTab run={run} />;
    case 'host':
      return <HostTab run={run} />;
    case 'meta':
      return <MetaTab run={run} />;
    case 'resources':
      return <ResourcesTab run={run} />;
  }
}

function RunDetailBody({
  run,
  tab,
  onTab,
}: {
  run: RunDetailData;
  tab: TabId;
  onTab: (tab: TabId) => void;
}) {
  const tabs = tabsFor(run);
  return (
    <>
      <RunHeader run={run} />
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button
            type="button"
            role="tab"
            key={t.id}
            data-testid={`tab-${t.id}`}
            aria-selected={tab === t.id}
            className={`tab${tab === t.id ? ' active' : ''}${t.id === 'fail-trace' ? ' tab-danger' : ''}`}
            onClick={() => onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" data-tab={tab}>
        <TabContent id={tab} run={run}>
          {tabBody(tab, run)}
        </TabContent>
      </div>
    </>
  );
}
