import type { MetricSeries } from '../../../shared/contract';
import { emaDebiased } from '../../../shared/ema';
import { groupStats } from '../../../shared/group-stats';
import type { RunGroup } from './run-groups';

export type XMode = 'step' | 'relative' | 'wall';

/** One metric of one run, as fetched (downsampled) for the plot. */
export interface PlotSeries {
  runKey: string;
  runLabel: string;
  metric: string;
  series: MetricSeries;
  /** Where "time since start" counts from for this run. */
  startMs: number;
}

export interface PlotOptions {
  xMode: XMode;
  logY: boolean;
  subplots: boolean;
  /** 0 (none) to 0.99: TensorBoard-style EMA weight. */
  smoothing: number;
  /** Metric order: gives each metric its dash (overlay) or its subplot. */
  metrics: readonly string[];
  /** Run order: gives each run its colour (unless `colours` names it). */
  runs: readonly string[];
  /** A colour per run key that follows the run across screens (run-colours.ts). */
  colours?: ReadonlyMap<string, string>;
  /** Mean ± std per group instead of one line per run; null for no grouping. */
  groups: readonly RunGroup[] | null;
}

export interface PlotTrace {
  type: 'scatter';
  /** Markers only where a finite point has no finite neighbour to draw a line to. */
  mode: 'lines' | 'lines+markers';
  marker?: { color: string; size: number[] };
  uid: string;
  name: string;
  /**
   * Numbers as a Float64Array (NaN and ±Infinity are gaps: plotly reads a typed array as is,
   * without a per-point conversion); wall time as local date strings, null for a gap.
   */
  x: (number | string | null)[] | Float64Array;
  y: (number | null)[] | Float64Array;
  xaxis: 'x';
  yaxis: string;
  connectgaps: false;
  line: { color: string; dash: string; width: number };
  opacity?: number;
  showlegend: boolean;
  legendgroup: string;
  hoverinfo?: 'skip';
  hovertemplate?: string;
  customdata?: (number | null)[] | Float64Array;
  fill?: 'tonexty';
  fillcolor?: string;
}

export interface PlotFigure {
  traces: PlotTrace[];
  layout: Record<string, unknown>;
}

/** Tableau 10: distinct on white and for the common colour blindnesses. */
export const RUN_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];
export const METRIC_DASHES = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'];

export function runColour(index: number): string {
  return RUN_COLOURS[((index % RUN_COLOURS.length) + RUN_COLOURS.length) % RUN_COLOURS.length]!;
}

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * Plotly puts a trace's uid into CSS selectors (fills, legend groups), so it must be a plain
 * word; a hash of the trace's identity keeps it stable across redraws (legend toggles stay).
 */
export function safeUid(identity: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < identity.length; i++) {
    const c = identity.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `t${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Wall time as a zone-less string in the viewer's local time (plotly shows it as given). */
export function localDateString(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** Plotly's value of a wall-time axis (a local date string) back to milliseconds. */
export function parseAxisValue(value: unknown, xMode: XMode): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  if (xMode !== 'wall') return Number(value);
  // "2024-01-02 03:04:05.678" is local time; the T form is read as local by Date.parse.
  return Date.parse(value.trim().replace(' ', 'T'));
}

/** The numeric x of every point: step, seconds since start, or wall milliseconds. */
export function xValues(series: MetricSeries, xMode: XMode, startMs: number): Float64Array {
  const n = series.values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (xMode === 'step') out[i] = series.steps[i] as number;
    else {
      const t = series.timestamps[i] as number;
      out[i] = xMode === 'relative' ? (t - startMs) / 1000 : t;
    }
  }
  return out;
}

/**
 * x as plotly gets it: numbers stay the Float64Array (issue 13: converting 20 traces' points to
 * number lists and plotly converting them back was a tenth of a 20-run plot's drawing); wall
 * time becomes local date strings.
 */
function axisX(x: Float64Array, xMode: XMode): (string | null)[] | Float64Array {
  if (xMode !== 'wall') return x;
  return Array.from(x, (v) => (Number.isFinite(v) ? localDateString(v) : null));
}

/**
 * y as plotly gets it: a Float64Array whose NaN and ±Infinity plotly draws as gaps in the
 * line (never a silently dropped point: the plot says how many it could not draw).
 */
function axisY(y: ArrayLike<number>): Float64Array {
  return y instanceof Float64Array ? y : Float64Array.from(y);
}

/** A point a line can reach: a finite number, or a date string. */
function drawable(v: number | string | null | undefined): boolean {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** Finite points whose neighbours are gaps: a line cannot show them, so they get markers. */
export function isolatedPoints(
  x: ArrayLike<number | string | null>,
  y: ArrayLike<number | null>,
): number[] {
  const drawn = (i: number): boolean => i >= 0 && i < y.length && drawable(y[i]) && drawable(x[i]);
  const out: number[] = [];
  for (let i = 0; i < y.length; i++) if (drawn(i) && !drawn(i - 1) && !drawn(i + 1)) out.push(i);
  return out;
}

/**
 * The hover's numbers: the array itself when every value is finite (the usual case: no copy),
 * else a list with null where a value is not (hover shows nothing rather than "NaN").
 */
function finiteOrNull(values: Float64Array): (number | null)[] | Float64Array {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      return Array.from(values, (v) => (Number.isFinite(v) ? v : null));
    }
  }
  return values;
}

/** How many of these values a plot cannot draw (NaN, ±Infinity). */
export function nonFiniteCount(values: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
  return count;
}

/** Lines with markers on their isolated points (a [NaN, 1.5] metric is one such point). */
function withIsolatedMarkers(trace: PlotTrace): PlotTrace {
  const isolated = isolatedPoints(trace.x, trace.y);
  if (isolated.length === 0) return trace;
  const size = new Array<number>(trace.y.length).fill(0);
  for (const i of isolated) size[i] = 5;
  return { ...trace, mode: 'lines+markers', marker: { color: trace.line.color, size } };
}

function escapeLabel(text: string): string {
  return text
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/%/gu, '%%');
}

function axisName(index: number): { trace: string; layout: string } {
  return index === 0
    ? { trace: 'y', layout: 'yaxis' }
    : { trace: `y${index + 1}`, layout: `yaxis${index + 1}` };
}

const X_TITLE: Record<XMode, string> = {
  step: 'step',
  relative: 'seconds since start',
  wall: 'time (local)',
};

/**
 * Plotly traces and layout for the chosen metrics of the chosen runs: one colour per run (per
 * group when grouped), one dash per metric (or one subplot per metric), EMA smoothing with the
 * raw line faint behind, mean ± std bands for groups. Pure, so it is tested without a browser.
 */
export function buildPlot(items: readonly PlotSeries[], options: PlotOptions): PlotFigure {
  const { xMode, subplots, smoothing } = options;
  const metricIndex = (metric: string): number => Math.max(0, options.metrics.indexOf(metric));
  const dashOf = (metric: string): string =>
    subplots ? 'solid' : METRIC_DASHES[metricIndex(metric) % METRIC_DASHES.length]!;
  const yaxisOf = (metric: string): string =>
    subplots ? axisName(metricIndex(metric)).trace : 'y';
  const smooth = smoothing > 0;
  const traces: PlotTrace[] = [];
  const timeLine = xMode === 'step' ? '' : '<br>x %{x}';

  const addLine = (
    uid: string,
    name: string,
    metric: string,
    colour: string,
    x: Float64Array,
    y: ArrayLike<number>,
    hover: { template: string; customdata: (number | null)[] | Float64Array },
  ): void => {
    const common = {
      type: 'scatter' as const,
      mode: 'lines' as const,
      x: axisX(x, xMode),
      xaxis: 'x' as const,
      yaxis: yaxisOf(metric),
      connectgaps: false as const,
      legendgroup: safeUid(uid),
    };
    if (smooth) {
      traces.push({
        ...common,
        uid: safeUid(`${uid}:raw`),
        name: `${name} (raw)`,
        y: axisY(y),
        line: { color: colour, dash: dashOf(metric), width: 1 },
        opacity: 0.25,
        showlegend: false,
        hoverinfo: 'skip',
      });
    }
    traces.push(
      withIsolatedMarkers({
        ...common,
        uid: safeUid(uid),
        name,
        y: axisY(smooth ? emaDebiased(y, smoothing) : y),
        line: { color: colour, dash: dashOf(metric), width: 1.5 },
        showlegend: true,
        hovertemplate: hover.template,
        customdata: hover.customdata,
      }),
    );
  };

  if (options.groups === null) {
    for (const item of items) {
      const colour =
        options.colours?.get(item.runKey) ?? runColour(options.runs.indexOf(item.runKey));
      const x = xValues(item.series, xMode, item.startMs);
      const label = escapeLabel(item.runLabel);
      addLine(
        `${item.runKey}\u0000${item.metric}`,
        `${item.runLabel} · ${item.metric}`,
        item.metric,
        colour,
        x,
        item.series.values,
        {
          template:
            `<b>${label}</b> ${escapeLabel(item.metric)}<br>step %{customdata}` +
            `${timeLine}<br>value %{y:.6g}<extra></extra>`,
          customdata: finiteOrNull(item.series.steps),
        },
      );
    }
  } else {
    options.groups.forEach((group, groupIndex) => {
      const colour = runColour(groupIndex);
      for (const metric of options.metrics) {
        const members = items.filter(
          (item) => item.metric === metric && group.keys.includes(item.runKey),
        );
        if (members.length === 0) continue;
        const stats = groupStats(
          members.map((item) => ({
            x: xValues(item.series, xMode, item.startMs),
            y: item.series.values,
          })),
          4000,
        );
        const mean = smooth ? emaDebiased(stats.mean, smoothing) : stats.mean;
        const std = smooth ? emaDebiased(stats.std, smoothing) : stats.std;
        const uid = `group:${groupIndex}\u0000${metric}`;
        const band = (sign: 1 | -1): Float64Array =>
          Float64Array.from(mean, (m, i) => m + sign * (std[i] as number));
        const bandCommon = {
          type: 'scatter' as const,
          mode: 'lines' as const,
          x: axisX(stats.x, xMode),
          xaxis: 'x' as const,
          yaxis: yaxisOf(metric),
          connectgaps: false as const,
          showlegend: false,
          legendgroup: safeUid(uid),
          hoverinfo: 'skip' as const,
        };
        traces.push({
          ...bandCommon,
          uid: safeUid(`${uid}:upper`),
          name: `${group.label} · ${metric} +std`,
          y: band(1),
          line: { color: colour, dash: 'solid', width: 0 },
        });
        traces.push({
          ...bandCommon,
          uid: safeUid(`${uid}:lower`),
          name: `${group.label} · ${metric} −std`,
          y: band(-1),
          line: { color: colour, dash: 'solid', width: 0 },
          fill: 'tonexty',
          fillcolor: withAlpha(colour, 0.18),
        });
        addLine(
          uid,
          `${group.label} · ${metric} (mean of ${members.length})`,
          metric,
          colour,
          stats.x,
          stats.mean,
          {
            template:
              `<b>${escapeLabel(group.label)}</b> ${escapeLabel(metric)}${timeLine}` +
              `<br>mean %{y:.6g} ± %{customdata:.3g}<extra></extra>`,
            customdata: finiteOrNull(stats.std),
          },
        );
      }
    });
  }

  const layout: Record<string, unknown> = {
    autosize: true,
    height: subplots ? Math.max(420, 230 * options.metrics.length) : 460,
    margin: { l: 64, r: 20, t: 20, b: 50 },
    font: { family: 'system-ui, sans-serif', size: 12 },
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    hovermode: 'closest',
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    xaxis: {
      title: { text: X_TITLE[xMode] },
      type: xMode === 'wall' ? 'date' : 'linear',
      zeroline: false,
      anchor: subplots ? axisName(options.metrics.length - 1).trace : 'y',
    },
  };
  const yType = options.logY ? 'log' : 'linear';
  if (subplots && options.metrics.length > 1) {
    const n = options.metrics.length;
    const gap = 0.06;
    const height = (1 - gap * (n - 1)) / n;
    options.metrics.forEach((metric, i) => {
      const top = 1 - i * (height + gap);
      layout[axisName(i).layout] = {
        domain: [Math.max(0, top - height), Math.min(1, top)],
        anchor: 'x',
        type: yType,
        zeroline: false,
        title: { text: metric },
      };
    });
  } else {
    layout.yaxis = {
      type: yType,
      zeroline: false,
      ...(options.metrics.length === 1 ? { title: { text: options.metrics[0] } } : {}),
    };
    (layout.xaxis as Record<string, unknown>).anchor = 'y';
  }
  return { traces, layout };
}

/**
 * The step range to re-query for one trace when the visible x range is [x0, x1] in the axis
 * unit: itself for a step axis; for a time axis, the steps of the loaded points that fall in
 * it, widened to the loaded points just outside (so nothing between them is missed).
 */
export function stepRangeFor(
  item: PlotSeries,
  xMode: XMode,
  x0: number,
  x1: number,
): { xMin: number; xMax: number } | null {
  const lo = Math.min(x0, x1);
  const hi = Math.max(x0, x1);
  if (xMode === 'step') return { xMin: lo, xMax: hi };
  const x = xValues(item.series, xMode, item.startMs);
  const steps = item.series.steps;
  let first = -1;
  let last = -1;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v >= lo && v <= hi) {
      if (first < 0) first = i;
      last = i;
    }
  }
  let from: number;
  let to: number;
  if (first < 0) {
    // No loaded point inside: the two loaded points around the range.
    const after = Array.prototype.findIndex.call(x, (v: number) => v > hi) as number;
    if (after <= 0) return null;
    from = after - 1;
    to = after;
  } else {
    from = Math.max(0, first - 1);
    to = Math.min(x.length - 1, last + 1);
  }
  let xMin = Infinity;
  let xMax = -Infinity;
  for (let i = from; i <= to; i++) {
    const s = steps[i] as number;
    if (!Number.isFinite(s)) continue;
    xMin = Math.min(xMin, s);
    xMax = Math.max(xMax, s);
  }
  return Number.isFinite(xMin) ? { xMin, xMax } : null;
}
