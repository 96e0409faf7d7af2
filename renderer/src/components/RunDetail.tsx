import { useEffect, useState } from 'react';
import type { RunDetail as RunDetailData, RunKey } from '../../../shared/contract';
import { errorMessage } from '../hooks/report-error-context';
import { useApi } from '../hooks/use-api';
import { useLoader } from '../hooks/use-loader';
import { ArtifactsTab } from './ArtifactsTab';
import { ExperimentTab } from './ExperimentTab';
import { FailTraceTab } from './FailTraceTab';
import { JsonTree } from './JsonTree';
import { MetricsTab } from './MetricsTab';
import { OutputTab } from './OutputTab';
import { RunHeader } from './RunHeader';

type TabId =
  'config' | 'info' | 'host' | 'experiment' | 'output' | 'fail-trace' | 'metrics' | 'artifacts';

interface Props {
  runKey: RunKey;
  onBack: () => void;
}

function tabsFor(run: RunDetailData): { id: TabId; label: string }[] {
  const tabs: { id: TabId; label: string }[] = [
    { id: 'config', label: 'Config' },
    { id: 'info', label: 'Info' },
    { id: 'host', label: 'Host' },
    { id: 'experiment', label: 'Experiment' },
    { id: 'output', label: 'Captured output' },
  ];
  if (run.failTrace !== null && run.failTrace.length > 0)
    tabs.push({ id: 'fail-trace', label: 'Fail trace' });
  tabs.push(
    { id: 'metrics', label: `Metrics${run.metrics.length > 0 ? ` (${run.metrics.length})` : ''}` },
    {
      id: 'artifacts',
      label: `Artifacts${run.artifacts.length > 0 ? ` (${run.artifacts.length})` : ''}`,
    },
  );
  return tabs;
}

/** Everything about one run; Esc or the back button returns to the list. */
export function RunDetail({ runKey, onBack }: Props) {
  const api = useApi();
  const [reload, setReload] = useState(0);
  const [tab, setTab] = useState<TabId>('config');
  const loaded = useLoader(() => api.getRun(runKey), [api, runKey.source, runKey.id, reload]);

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
          tab={tabsFor(loaded.data).some((t) => t.id === tab) ? tab : 'config'}
          onTab={setTab}
        />
      )}
    </section>
  );
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
      <div className="tab-panel" role="tabpanel">
        {tab === 'config' && (
          <JsonTree
            data={run.config}
            searchable
            testId="config-tree"
            emptyText="This run has no config."
          />
        )}
        {tab === 'info' && (
          <div className="stack">
            <h3>Result</h3>
            <JsonTree data={{ result: run.result }} />
            <h3>Info</h3>
            <JsonTree data={run.info} searchable emptyText="Nothing was stored in info." />
            <h3>Meta</h3>
            <JsonTree data={run.meta} emptyText="No meta data." />
          </div>
        )}
        {tab === 'host' && (
          <JsonTree data={run.hostInfo} searchable emptyText="No host information was recorded." />
        )}
        {tab === 'experiment' && <ExperimentTab run={run} />}
        {tab === 'output' && <OutputTab run={run} />}
        {tab === 'fail-trace' && <FailTraceTab trace={run.failTrace ?? []} />}
        {tab === 'metrics' && <MetricsTab run={run} />}
        {tab === 'artifacts' && <ArtifactsTab run={run} />}
      </div>
    </>
  );
}
