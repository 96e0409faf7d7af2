import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MetricSeries, RunDetail, RunKey } from '../../../../shared/contract';
import type { MetricTraceQuery } from '../../../../shared/contract/metrics-methods';
import { unpackMetricBatch } from '../../../../shared/metric-batch';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { hurryPlotly } from '../../hooks/use-plotly-figure';
import { useLoader } from '../../hooks/use-loader';
import { configLeaves } from '../../../../shared/config-leaves';
import {
  buildPlot,
  nonFiniteCount,
  parseAxisValue,
  runColour,
  stepRangeFor,
} from '../../model/plot-traces';
import type { PlotSeries, XMode } from '../../model/plot-traces';
import {
  browserPrefsStorage,
  loadMetricPrefs,
  saveMetricPrefs,
} from '../../model/plot-preferences';
import { OneRequestAtATime } from '../../model/one-request-at-a-time';
import { RequestAhead } from '../../model/request-ahead';
import type { Started } from '../../model/request-ahead';
import { loadPlotRunDetails } from '../../model/plot-run-details';
import type { PlotRunDetail } from '../../model/plot-run-details';
import { nextPointBudget, pointBudget } from '../../model/plot-point-budget';
import { runColours } from '../../model/run-colours';
import { groupRuns } from '../../model/run-groups';
import { differenceLabels } from '../../model/run-labels';
import type { GroupBy } from '../../model/run-groups';
import { runKeyString } from '../../model/run-values';
import { varyingConfigKeys } from '../../model/varying-config-keys';
import { Checkbox } from '../common/Checkbox';
import { PlotCanvas } from './PlotCanvas';
import type { XRange } from './PlotCanvas';
import './plots.css';

export interface MultiRunPlotProps {
  runs: RunKey[];
  /** Metrics ticked at first (default: the first metric of the first run). */
  initialMetrics?: string[];
  /** Runs whose detail is already loaded (the open run): not fetched again. */
  known?: RunDetail[];
}

type Loaded = PlotRunDetail;

interface Wanted {
  traceKey: string;
  runKey: string;
  run: RunDetail;
  metric: string;
}

function startOf(run: RunDetail): number {
  const start = run.start_time === null ? NaN : Date.parse(run.start_time);
  return Number.isFinite(start) ? start : 0;
}

function traceKeyOf(runKey: string, metric: string): string {
  return `${runKey}\u0001${metric}`;
}

/** What a zoom's refine reads: the plotted traces, how x is shown, the points per trace. */
interface RefineInputs {
  wanted: readonly Wanted[];
  xMode: XMode;
  maxPoints: number | null;
}

interface RefineQuery {
  traceKey: string;
  query: MetricTraceQuery;
}

function rangeIdOf(range: { x0: number; x1: number }, maxPoints: number): string {
  return `${range.x0}:${range.x1}:${maxPoints}`;
}

function parseRange(
  next: { x0: unknown; x1: unknown },
  xMode: XMode,
): { x0: number; x1: number } | null {
  const x0 = parseAxisValue(next.x0, xMode);
  const x1 = parseAxisValue(next.x1, xMode);
  return Number.isFinite(x0) && Number.isFinite(x1) ? { x0, x1 } : null;
}

/** The step range of each shown trace in the zoom (it differs per run when x is time). */
function refineQueries(
  { wanted, xMode }: RefineInputs,
  base: ReadonlyMap<string, MetricSeries>,
  zoom: { x0: number; x1: number },
): RefineQuery[] {
  const asked: RefineQuery[] = [];
  for (const w of wanted) {
    const shown = base.get(w.traceKey);
    if (shown === undefined) continue;
    const item: PlotSeries = {
      runKey: w.runKey,
      runLabel: '',
      metric: w.metric,
      series: shown,
      startMs: startOf(w.run),
    };
    const steps = stepRangeFor(item, xMode, zoom.x0, zoom.x1);
    if (steps === null) continue;
    asked.push({
      traceKey: w.traceKey,
      query: { source: w.run.source, id: w.run.id, name: w.metric, ...steps },
    });
  }
  return asked;
}

/**
 * Metric plots over several runs: pick metrics and runs, overlay them (a colour per run, a
 * dash per metric) or give each metric its own subplot, x as step, wall time or time since
 * start, linear or log y, EMA smoothing, groups of runs as mean ± std. Every trace comes from
 * the core downsampled to the plot's width; a zoom re-queries the visible range.
 */
export function MultiRunPlot({ runs, initialMetrics, known }: MultiRunPlotProps) {
  const api = useApi();
  // plotly's last modules run while the runs and their points are fetched.
  useEffect(hurryPlotly, []);
  const runsId = runs.map(runKeyString).join('\u0002');
  const loaded = useLoader(
    () => loadPlotRunDetails((args) => api.getRuns(args), runs, known),
    [api, runsId],
  );
  if (runs.length === 0) return <p className="muted">No runs are selected to plot.</p>;
  if (loaded.state === 'loading') return <div className="loading">Loading runs…</div>;
  if (loaded.state === 'error') {
    return (
      <div className="detail-error" role="alert">
        The runs could not be loaded: {errorMessage(loaded.error)}
      </div>
    );
  }
  return <PlotBody key={runsId} loaded={loaded.data} initialMetrics={initialMetrics} />;
}

function PlotBody({
  loaded,
  initialMetrics,
}: {
  loaded: Loaded[];
  initialMetrics: string[] | undefined;
}) {
  const api = useApi();
  const runs = useMemo(
    () => loaded.flatMap((item) => ('run' in item ? [{ key: item.key, run: item.run }] : [])),
    [loaded],
  );
  const failed = loaded.flatMap((item) => ('failed' in item ? [item] : []));
  const runOrder = useMemo(() => runs.map((r) => r.key), [runs]);
  // Runs are named by what differs between them (`tau=2 N=1000`) and coloured by who they
  // are, so a run looks the same in every plot and in compare.
  const labels = useMemo(
    () =>
      differenceLabels(
        runs.map(({ key, run }) => ({ key, source: run.source, id: run.id, config: run.config })),
      ),
    [runs],
  );
  const colours = useMemo(() => runColours(runOrder), [runOrder]);
  const labelOf = useCallback(
    (run: RunDetail) => labels.get(runKeyString(run)) ?? `#${run.id}`,
    [labels],
  );

  const allMetrics = useMemo(() => {
    const names: string[] = [];
    for (const { run } of runs) {
      for (const metric of run.metrics) if (!names.includes(metric.name)) names.push(metric.name);
    }
    return names;
  }, [runs]);

  const [metrics, setMetrics] = useState<string[]>(() => {
    const wanted = (initialMetrics ?? []).filter((name) => allMetrics.includes(name));
    return wanted.length > 0 ? wanted : allMetrics.slice(0, 1);
  });
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [xMode, setXMode] = useState<XMode>('step');
  const [logY, setLogYState] = useState(false);
  const [subplots, setSubplots] = useState(false);
  const [smoothing, setSmoothingState] = useState(0);
  const [groupBy, setGroupBy] = useState<GroupBy | null>(null);
  const [range, setRange] = useState<{ x0: number; x1: number } | null>(null);
  // Null until the plot's area is measured: a first request sized for a guessed width was
  // thrown away once the real width came, and cost the server a second read of every trace.
  const [maxPoints, setMaxPoints] = useState<number | null>(null);
  const areaRef = useRef<HTMLDivElement>(null);

  const orderedMetrics = useMemo(
    () => allMetrics.filter((name) => metrics.includes(name)),
    [allMetrics, metrics],
  );

  // Log y and smoothing are remembered per metric: the first plotted metric brings back how
  // it was last shown (a metric never set: the defaults); a change is remembered for every
  // plotted metric.
  const primaryMetric = orderedMetrics[0];
  useEffect(() => {
    const storage = browserPrefsStorage();
    if (primaryMetric === undefined || storage === null) return;
    // A metric never set is shown as new: linear, unsmoothed.
    const prefs = loadMetricPrefs(storage, primaryMetric) ?? { logY: false, smoothing: 0 };
    setLogYState(prefs.logY);
    setSmoothingState(prefs.smoothing);
  }, [primaryMetric]);
  const remember = (next: { logY: boolean; smoothing: number }): void => {
    const storage = browserPrefsStorage();
    if (storage !== null) saveMetricPrefs(storage, orderedMetrics, next);
  };
  const setLogY = (value: boolean): void => {
    setLogYState(value);
    remember({ logY: value, smoothing });
  };
  const setSmoothing = (value: number): void => {
    setSmoothingState(value);
    remember({ logY, smoothing: value });
  };
  const wanted = useMemo<Wanted[]>(() => {
    const out: Wanted[] = [];
    for (const { key, run } of runs) {
      if (hidden.has(key)) continue;
      for (const metric of orderedMetrics) {
        if (run.metrics.some((m) => m.name === metric)) {
          out.push({ traceKey: traceKeyOf(key, metric), runKey: key, run, metric });
        }
      }
    }
    return out;
  }, [runs, hidden, orderedMetrics]);

  // The points each trace asks for: the plot's width shared by its traces (plot-point-budget).
  const traceCount = wanted.length;
  const traceCountRef = useRef(traceCount);
  const areaWidth = useRef<number | null>(null);
  // A layout effect: the first request then goes out in the commit that mounts the plot, not
  // after the empty figure's first draw (~100 ms of a 20-run plot's click → drawn; issue 13).
  useLayoutEffect(() => {
    const element = areaRef.current;
    if (element === null) return undefined;
    const measure = (): void => {
      const width = element.clientWidth;
      if (width <= 0) return;
      areaWidth.current = width;
      setMaxPoints((current) => nextPointBudget(current, width, traceCountRef.current));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    // An area that is not laid out (a hidden tab) still plots, at a guessed width.
    const fallback = setTimeout(
      () => setMaxPoints((current) => current ?? pointBudget(900, traceCountRef.current)),
      250,
    );
    return () => {
      observer.disconnect();
      clearTimeout(fallback);
    };
  }, []);
  useLayoutEffect(() => {
    traceCountRef.current = traceCount;
    const width = areaWidth.current;
    if (width !== null) setMaxPoints((current) => nextPointBudget(current, width, traceCount));
  }, [traceCount]);

  // --- full-range data, downsampled to the plot width, kept per trace ---
  const base = useRef(new Map<string, MetricSeries>());
  const baseBudget = useRef<number | null>(maxPoints);
  const [baseVersion, setBaseVersion] = useState(0);
  const [loading, setLoading] = useState(0);
  const [failures, setFailures] = useState<string[]>([]);
  useEffect(() => {
    if (maxPoints === null) return undefined;
    if (baseBudget.current !== maxPoints) {
      base.current.clear();
      baseBudget.current = maxPoints;
    }
    const missing = wanted.filter((w) => !base.current.has(w.traceKey));
    if (missing.length === 0) return undefined;
    let alive = true;
    setLoading((n) => n + 1);
    // Every missing trace in one request (a plot of 20 runs was 20 requests).
    const traces = missing.map((w) => ({ source: w.run.source, id: w.run.id, name: w.metric }));
    void api.getMetrics({ traces, maxPoints }).then(
      (batch) => {
        setLoading((n) => n - 1);
        if (!alive) return;
        const problems: string[] = [];
        unpackMetricBatch(batch).forEach((entry, i) => {
          const w = missing[i] as Wanted;
          if ('error' in entry) {
            problems.push(`${w.metric} of ${labelOf(w.run)}: ${entry.error.message}`);
          } else if (baseBudget.current === maxPoints) {
            base.current.set(w.traceKey, entry);
          }
        });
        setFailures(problems);
        setBaseVersion((n) => n + 1);
      },
      (error: unknown) => {
        setLoading((n) => n - 1);
        if (!alive) return;
        setFailures(missing.map((w) => `${w.metric} of ${labelOf(w.run)}: ${errorMessage(error)}`));
        setBaseVersion((n) => n + 1);
      },
    );
    return () => {
      alive = false;
    };
  }, [api, wanted, maxPoints, labelOf]);

  // --- the zoomed range, re-queried at full resolution ---
  const revision = `${xMode}|${logY}|${subplots}|${orderedMetrics.join(',')}|${groupBy?.mode ?? ''}:${groupBy?.path ?? ''}`;
  useEffect(() => setRange(null), [revision]);
  const [zoomed, setZoomed] = useState<{ range: string; data: Map<string, MetricSeries> } | null>(
    null,
  );
  const [requeries, setRequeries] = useState(0);
  const rangeId = range === null || maxPoints === null ? null : rangeIdOf(range, maxPoints);
  // A zoom waits for the one the server is answering; a range passed by meanwhile is never asked.
  const zoomRequests = useRef(new OneRequestAtATime());
  const refineAhead = useRef(new RequestAhead<Map<string, MetricSeries>>());
  // What a refine started outside a render (at a drag's mouse-up) asks for.
  const latest = useRef<RefineInputs>({ wanted, xMode, maxPoints });
  latest.current = { wanted, xMode, maxPoints };

  // Reads the range at full resolution, every trace in one request; a trace that cannot be
  // refined keeps its full-range points (as before: no error shown).
  const startRefine = useCallback(
    (
      zoom: { x0: number; x1: number },
      inputs: RefineInputs,
    ): Started<Map<string, MetricSeries>> => {
      let settle: (data: Map<string, MetricSeries> | null) => void = () => undefined;
      const result = new Promise<Map<string, MetricSeries> | null>((resolve) => {
        settle = resolve;
      });
      const cancelSend = zoomRequests.current.schedule(() => {
        const asked = refineQueries(inputs, base.current, zoom);
        if (asked.length === 0 || inputs.maxPoints === null) {
          settle(new Map());
          return Promise.resolve();
        }
        const request = api.getMetrics({
          traces: asked.map((a) => a.query),
          maxPoints: inputs.maxPoints,
        });
        request.then(
          (batch) => {
            const data = new Map<string, MetricSeries>();
            unpackMetricBatch(batch).forEach((entry, i) => {
              if (!('error' in entry)) data.set((asked[i] as RefineQuery).traceKey, entry);
            });
            settle(data);
          },
          () => settle(new Map()),
        );
        return request;
      });
      return {
        result,
        cancel: () => {
          cancelSend();
          settle(null);
        },
      };
    },
    [api],
  );

  useEffect(() => {
    if (range === null || rangeId === null || maxPoints === null) {
      setZoomed(null);
      return undefined;
    }
    // A drag's refine left at its mouse-up (onXRangeDragged), while plotly drew the zoom; a
    // zoom of another kind (or a change of traces while zoomed) asks now.
    const started =
      refineAhead.current.take(rangeId) ?? startRefine(range, { wanted, xMode, maxPoints });
    let alive = true;
    setLoading((n) => n + 1);
    void started.result.then((data) => {
      setLoading((n) => n - 1);
      if (!alive || data === null) return;
      setZoomed({ range: rangeId, data });
      setRequeries((n) => n + 1);
    });
    return () => {
      alive = false;
      started.cancel();
    };
    // `range` is identified by rangeId; `base` is read at send time on purpose.
  }, [api, rangeId, wanted, xMode, maxPoints, baseVersion, startRefine]);

  const items = useMemo<PlotSeries[]>(() => {
    void baseVersion;
    const out: PlotSeries[] = [];
    for (const w of wanted) {
      const series = zoomed?.data.get(w.traceKey) ?? base.current.get(w.traceKey);
      if (series === undefined) continue;
      out.push({
        runKey: w.runKey,
        runLabel: labelOf(w.run),
        metric: w.metric,
        series,
        startMs: startOf(w.run),
      });
    }
    return out;
  }, [wanted, zoomed, baseVersion, labelOf]);

  const groupKeys = useMemo(() => {
    const configs = runs.map((r) => r.run.config);
    const varying = varyingConfigKeys(configs, 50);
    const rest = configs.length === 0 ? [] : configLeaves(configs[0] ?? {}).map((l) => l.path);
    return [...varying, ...rest.filter((path) => !varying.includes(path))].slice(0, 200);
  }, [runs]);
  const groups = useMemo(() => {
    if (groupBy === null) return null;
    const shown = runs.filter((r) => !hidden.has(r.key));
    // A group of one run is best named by that run.
    return groupRuns(
      shown.map((r) => ({ key: r.key, config: r.run.config })),
      groupBy,
    ).map((group) => {
      const only = group.keys.length === 1 ? shown.find((r) => r.key === group.keys[0]) : undefined;
      return only === undefined ? group : { ...group, label: labelOf(only.run) };
    });
  }, [groupBy, runs, hidden, labelOf]);

  const figure = useMemo(
    () =>
      buildPlot(items, {
        xMode,
        logY,
        subplots,
        smoothing,
        metrics: orderedMetrics,
        runs: runOrder,
        colours,
        groups,
      }),
    [items, xMode, logY, subplots, smoothing, orderedMetrics, runOrder, colours, groups],
  );

  const onXRange = useCallback(
    (next: XRange) => {
      if (next === null) {
        setRange(null);
        return;
      }
      const parsed = parseRange(next, xMode);
      // plotly reports a zoom twice or more (while dragging, drawn); the same range renders once.
      if (parsed !== null) {
        setRange((current) =>
          current !== null && current.x0 === parsed.x0 && current.x1 === parsed.x1
            ? current
            : parsed,
        );
      }
    },
    [xMode],
  );
  // A drag's end, before plotly draws it: the refine leaves now, without rendering anything
  // (the render waits for plotly's report of the range, after the zoom's frame).
  const onXRangeDragged = useCallback(
    (next: { x0: unknown; x1: unknown }) => {
      const inputs = latest.current;
      const parsed = parseRange(next, inputs.xMode);
      if (parsed === null || inputs.maxPoints === null) return;
      refineAhead.current.put(rangeIdOf(parsed, inputs.maxPoints), startRefine(parsed, inputs));
    },
    [startRefine],
  );

  const pointsShown = items.reduce((sum, item) => sum + item.series.values.length, 0);
  const pointsInRange = items.reduce(
    (sum, item) => sum + (item.series.pointsInRange ?? item.series.totalPoints),
    0,
  );
  const downsampled = items.filter((item) => item.series.downsampled).length;
  // NaN and ±Infinity have no place on an axis: said, never dropped silently.
  const notFinite = items.reduce(
    (sum, item) => sum + (item.series.nonFinitePoints ?? nonFiniteCount(item.series.values)),
    0,
  );

  const toggleMetric = (name: string): void =>
    setMetrics((current) =>
      current.includes(name) ? current.filter((n) => n !== name) : [...current, name],
    );
  const toggleRun = (key: string): void =>
    setHidden((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  if (allMetrics.length === 0) {
    return (
      <p className="muted">
        {runs.length === 1 ? 'This run' : 'None of these runs'} logged metrics (Sacred’s{' '}
        <code>_run.log_scalar</code>).
      </p>
    );
  }

  return (
    <div className="multi-plot">
      <div className="plot-side">
        <div className="plot-side-title">Metrics</div>
        <div className="metric-list" data-testid="plot-metrics">
          {allMetrics.map((name) => {
            const dash = orderedMetrics.indexOf(name);
            return (
              <label className="metric-item" key={name}>
                <input
                  type="checkbox"
                  checked={metrics.includes(name)}
                  onChange={() => toggleMetric(name)}
                  data-metric={name}
                />
                <span className="metric-name" title={name}>
                  {name}
                </span>
                {dash >= 0 && !subplots && orderedMetrics.length > 1 && (
                  <svg className="dash-swatch" width="24" height="6" aria-hidden="true">
                    <line
                      x1="0"
                      y1="3"
                      x2="24"
                      y2="3"
                      stroke="currentColor"
                      strokeWidth="2"
                      strokeDasharray={['', '6 3', '2 2', '6 2 2 2', '10 3', '10 3 2 3'][dash % 6]}
                    />
                  </svg>
                )}
              </label>
            );
          })}
        </div>
        {runs.length > 1 && (
          <>
            <div className="plot-side-title">Runs</div>
            <div className="metric-list" data-testid="plot-runs">
              {runs.map(({ key, run }) => (
                <label
                  className="metric-item"
                  key={key}
                  title={`${run.source}/${run.id}${run.experiment === null ? '' : ` · ${run.experiment}`}`}
                >
                  <input
                    type="checkbox"
                    checked={!hidden.has(key)}
                    onChange={() => toggleRun(key)}
                    data-run={run.id}
                  />
                  <span className="metric-name">
                    {labelOf(run)}{' '}
                    {run.experiment !== null && <span className="muted">{run.experiment}</span>}
                  </span>
                  {groups === null && (
                    <span
                      className="colour-swatch"
                      data-testid="run-colour"
                      data-colour={colours.get(key) ?? ''}
                      style={{ background: colours.get(key) ?? runColour(0) }}
                    />
                  )}
                </label>
              ))}
            </div>
          </>
        )}
      </div>
      <div className="metric-area" ref={areaRef}>
        <div className="toolbar plot-toolbar">
          <label>
            x{' '}
            <select
              value={xMode}
              onChange={(event) => setXMode(event.target.value as XMode)}
              data-testid="plot-x-mode"
            >
              <option value="step">step</option>
              <option value="relative">time since start</option>
              <option value="wall">wall time</option>
            </select>
          </label>
          <Checkbox checked={logY} onChange={setLogY}>
            log y
          </Checkbox>
          <Checkbox checked={subplots} onChange={setSubplots}>
            subplot per metric
          </Checkbox>
          <label title="Exponential moving average with debiasing; the raw line stays faint">
            smoothing{' '}
            <input
              type="range"
              min={0}
              max={0.99}
              step={0.01}
              value={smoothing}
              onChange={(event) => setSmoothing(Number(event.target.value))}
              data-testid="plot-smoothing"
            />{' '}
            <span className="smoothing-value">{smoothing.toFixed(2)}</span>
          </label>
          {runs.length > 1 && (
            <label>
              group{' '}
              <select
                value={groupBy === null ? '' : groupBy.mode}
                onChange={(event) => {
                  const mode = event.target.value;
                  if (mode === '') setGroupBy(null);
                  else {
                    setGroupBy({
                      mode: mode as GroupBy['mode'],
                      path:
                        groupBy?.path ??
                        (groupKeys.includes('seed') ? 'seed' : (groupKeys[0] ?? 'seed')),
                    });
                  }
                }}
                data-testid="plot-group-mode"
              >
                <option value="">no grouping</option>
                <option value="allBut">same config except</option>
                <option value="value">same value of</option>
              </select>
              {groupBy !== null && (
                <select
                  value={groupBy.path}
                  onChange={(event) => setGroupBy({ ...groupBy, path: event.target.value })}
                  data-testid="plot-group-key"
                >
                  {groupKeys.map((path) => (
                    <option key={path} value={path}>
                      {path}
                    </option>
                  ))}
                </select>
              )}
            </label>
          )}
          {range !== null && (
            <button type="button" className="small" onClick={() => setRange(null)}>
              Show all
            </button>
          )}
        </div>
        <div className="plot-status muted">
          {loading > 0 && <span className="loading-inline">Loading points… </span>}
          {items.length > 0 &&
            (downsampled > 0
              ? `${pointsShown.toLocaleString()} of ${pointsInRange.toLocaleString()} points drawn ` +
                `(downsampled to the plot width${range === null ? '' : ' for the visible range'}; zoom in for more)`
              : `${pointsShown.toLocaleString()} points`)}
          {items.length > 0 &&
            notFinite > 0 &&
            ` · ${notFinite.toLocaleString()} NaN/inf point${notFinite === 1 ? '' : 's'} not drawn`}
          {groups !== null && ` · ${groups.length} group${groups.length === 1 ? '' : 's'}`}
        </div>
        {failed.length > 0 && (
          <div className="notice" role="status">
            Not plotted:{' '}
            {failed.map((f) => `${f.key.replace('\u0000', '/')} (${f.failed})`).join('; ')}
          </div>
        )}
        {failures.length > 0 && (
          <div className="detail-error" role="alert">
            Some metrics could not be loaded: {failures.join('; ')}
          </div>
        )}
        {orderedMetrics.length === 0 ? (
          <p className="muted">Tick a metric on the left to plot it.</p>
        ) : (
          <div
            className="plot-frame"
            data-testid="plot-frame"
            data-requery-count={requeries}
            data-points-shown={pointsShown}
            data-points-in-range={pointsInRange}
            data-points-not-finite={notFinite}
            data-trace-count={items.length}
            data-group-count={groups?.length ?? 0}
            data-zoomed={range !== null && zoomed !== null ? 'yes' : 'no'}
          >
            <PlotCanvas
              traces={figure.traces}
              layout={figure.layout}
              revision={revision}
              onXRange={onXRange}
              onXRangeDragged={onXRangeDragged}
            />
          </div>
        )}
      </div>
    </div>
  );
}
