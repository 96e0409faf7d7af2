import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { RunKey } from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useLoader } from '../../hooks/use-loader';
import { runColours } from '../../model/run-colours';
import { runKeyString } from '../../model/run-values';
import { CompareConfigDiff } from './CompareConfigDiff';
import { CompareOutputDiff } from './CompareOutputDiff';
import { CompareParcoords } from './CompareParcoords';
import { CompareResults } from './CompareResults';
import { CompareScatter } from './CompareScatter';
import { MultiRunPlot } from '../plots/MultiRunPlot';
import type { ComparedRun } from './compare-types';
import '../plots/plots.css';
import './compare.css';

type TabId = 'config' | 'results' | 'metrics' | 'output' | 'parcoords' | 'scatter';

const TABS: { id: TabId; label: string }[] = [
  { id: 'config', label: 'Config diff' },
  { id: 'results', label: 'Results' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'output', label: 'Output diff' },
  { id: 'parcoords', label: 'Parallel coordinates' },
  { id: 'scatter', label: 'Scatter' },
];

type Loaded = { key: string; run: ComparedRun['run'] } | { key: string; failed: string };

/** Two or more runs of the table side by side: config, results, metrics, output, plots. */
export function CompareView({ runs, onBack }: { runs: RunKey[]; onBack: () => void }) {
  const api = useApi();
  const runsId = runs.map(runKeyString).join('\u0002');
  // Compared runs are few (a hand selection), so every detail is fetched.
  const loaded = useLoader(
    () =>
      Promise.all(
        runs.map(async (key): Promise<Loaded> => {
          try {
            return { key: runKeyString(key), run: await api.getRun(key) };
          } catch (error) {
            return { key: runKeyString(key), failed: errorMessage(error) };
          }
        }),
      ),
    [api, runsId],
  );

  let body: ReactNode;
  if (loaded.state === 'loading') body = <div className="loading">Loading runs…</div>;
  else if (loaded.state === 'error') {
    body = (
      <div className="detail-error" role="alert">
        The runs could not be loaded: {errorMessage(loaded.error)}
      </div>
    );
  } else body = <CompareBody key={runsId} loaded={loaded.data} />;

  return (
    <section className="run-detail" data-testid="compare-view" aria-label="Compare runs">
      <div className="detail-topbar">
        <button type="button" onClick={onBack}>
          ← Runs
        </button>
        <span className="muted">Compare {runs.length} runs</span>
      </div>
      {body}
    </section>
  );
}

function CompareBody({ loaded }: { loaded: Loaded[] }) {
  const [tab, setTab] = useState<TabId>('config');
  const [brushed, setBrushed] = useState<string[] | null>(null);
  const failed = loaded.flatMap((item) => ('failed' in item ? [item] : []));
  const runs = useMemo<ComparedRun[]>(() => {
    const ok = loaded.flatMap((item) => ('run' in item ? [item] : []));
    const multiSource = new Set(ok.map((item) => item.run.source)).size > 1;
    const colours = runColours(ok.map(({ key }) => key));
    return ok.map(({ key, run }) => ({
      key,
      run,
      label: multiSource ? `${run.source}/${run.id}` : `#${run.id}`,
      colour: colours.get(key) ?? '#4e79a7',
    }));
  }, [loaded]);
  const runKeys = useMemo(() => runs.map((r) => ({ source: r.run.source, id: r.run.id })), [runs]);
  const known = useMemo(() => runs.map((r) => r.run), [runs]);

  let content: ReactNode;
  switch (tab) {
    case 'config':
      content = <CompareConfigDiff runs={runs} />;
      break;
    case 'results':
      content = <CompareResults runs={runs} />;
      break;
    case 'metrics':
      content = <MultiRunPlot runs={runKeys} known={known} />;
      break;
    case 'output':
      content = <CompareOutputDiff runs={runs} />;
      break;
    case 'parcoords':
      content = <CompareParcoords runs={runs} onBrush={setBrushed} />;
      break;
    case 'scatter':
      content = <CompareScatter runs={runs} brushed={brushed} onBrush={setBrushed} />;
      break;
  }

  return (
    <>
      {failed.length > 0 && (
        <div className="notice" role="status">
          Not compared:{' '}
          {failed.map((f) => `${f.key.replace('\u0000', '/')} (${f.failed})`).join('; ')}
        </div>
      )}
      <div className="compare-runs" data-testid="compare-runs">
        {runs.map((r) => {
          const inBrush = brushed === null || brushed.includes(r.key);
          return (
            <span
              key={r.key}
              className={`compare-run${brushed !== null && inBrush ? ' brushed' : ''}${inBrush ? '' : ' dimmed'}`}
              data-testid="compare-run"
              data-run-id={r.run.id}
              data-brushed={brushed !== null && inBrush ? 'yes' : 'no'}
              title={r.run.experiment ?? ''}
            >
              <span
                className="colour-swatch"
                data-testid="compare-run-colour"
                data-colour={r.colour}
                style={{ background: r.colour }}
                aria-hidden="true"
              />{' '}
              {r.label} <span className="muted">{r.run.experiment ?? ''}</span>
            </span>
          );
        })}
        {brushed !== null && (
          <span className="muted" data-testid="compare-brush-count">
            {brushed.length} of {runs.length} selected{' '}
            <button type="button" className="small" onClick={() => setBrushed(null)}>
              Clear
            </button>
          </span>
        )}
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            type="button"
            role="tab"
            key={t.id}
            data-testid={`compare-tab-${t.id}`}
            aria-selected={tab === t.id}
            className={`tab${tab === t.id ? ' active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" data-tab={tab}>
        {runs.length < 2 ? (
          <p className="muted">At least two runs are needed to compare.</p>
        ) : (
          content
        )}
      </div>
    </>
  );
}
