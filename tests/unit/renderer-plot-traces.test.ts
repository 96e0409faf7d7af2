import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../shared/contract';
import {
  buildPlot,
  isolatedPoints,
  nonFiniteCount,
  parseAxisValue,
  stepRangeFor,
} from '../../renderer/src/model/plot-traces';
import type { PlotOptions, PlotSeries } from '../../renderer/src/model/plot-traces';
import { groupRuns } from '../../renderer/src/model/run-groups';

function series(name: string, values: number[], start = 1_700_000_000_000): MetricSeries {
  return {
    name,
    steps: Float64Array.from(values, (_, i) => i * 10),
    values: Float64Array.from(values),
    timestamps: Float64Array.from(values, (_, i) => start + i * 1000),
    totalPoints: values.length,
    downsampled: false,
  };
}

function item(runKey: string, metric: string, values: number[]): PlotSeries {
  return {
    runKey,
    runLabel: `#${runKey}`,
    metric,
    series: series(metric, values),
    startMs: 1_700_000_000_000,
  };
}

const base: PlotOptions = {
  xMode: 'step',
  logY: false,
  subplots: false,
  smoothing: 0,
  metrics: ['loss', 'acc'],
  runs: ['1', '2'],
  groups: null,
};

describe('buildPlot', () => {
  const items = [
    item('1', 'loss', [3, 2, NaN, 1]),
    item('1', 'acc', [0.1, 0.2, 0.3, 0.4]),
    item('2', 'loss', [4, 3, 2, 1]),
  ];

  it('draws SVG lines, one colour per run and one dash per metric, NaN as gaps', () => {
    const { traces } = buildPlot(items, base);
    expect(traces).toHaveLength(3);
    const [loss1, acc1, loss2] = traces;
    expect([acc1, loss2].every((t) => t!.type === 'scatter' && t!.mode === 'lines')).toBe(true);
    // The last loss point of run 1 follows a NaN: no line reaches it, a marker shows it.
    expect(loss1!.mode).toBe('lines+markers');
    expect(loss1!.marker?.size).toEqual([0, 0, 0, 5]);
    expect(loss1!.line.color).toBe(acc1!.line.color);
    expect(loss1!.line.color).not.toBe(loss2!.line.color);
    expect(loss1!.line.dash).toBe(loss2!.line.dash);
    expect(loss1!.line.dash).not.toBe(acc1!.line.dash);
    // Numbers go to plotly as Float64Arrays, the NaN kept: plotly draws it as a gap.
    expect(loss1!.y).toEqual(Float64Array.of(3, 2, NaN, 1));
    expect(loss1!.x).toEqual(Float64Array.of(0, 10, 20, 30));
    expect(loss1!.hovertemplate).toContain('#1');
    expect(Array.from(loss1!.customdata ?? [])).toEqual([0, 10, 20, 30]);
  });

  it('plots the finite point of a [NaN, 1.5] metric as a marker', () => {
    const [trace] = buildPlot([item('1', 'loss', [NaN, 1.5])], base).traces;
    expect(trace!.y).toEqual(Float64Array.of(NaN, 1.5));
    expect(trace!.mode).toBe('lines+markers');
    expect(trace!.marker).toEqual({ color: trace!.line.color, size: [0, 5] });
    expect(isolatedPoints([0, 1, 2], [1, null, 2])).toEqual([0, 2]);
    expect(isolatedPoints([0, null, 2], [1, 2, 3])).toEqual([0, 2]);
    // In typed arrays a gap is NaN or ±Infinity.
    expect(
      isolatedPoints(Float64Array.of(0, 1, 2, 3), Float64Array.of(1, NaN, 2, Infinity)),
    ).toEqual([0, 2]);
    expect(isolatedPoints(Float64Array.of(0, NaN, 2), Float64Array.of(1, 2, 3))).toEqual([0, 2]);
    expect(isolatedPoints(['2024-01-01 00:00:00.000', null], Float64Array.of(1, 2))).toEqual([0]);
    expect(nonFiniteCount([NaN, 1.5, Infinity, -Infinity, 0])).toBe(3);
  });

  it('puts each metric on its own y axis in subplot mode', () => {
    const { traces, layout } = buildPlot(items, { ...base, subplots: true });
    expect(traces.map((t) => t.yaxis)).toEqual(['y', 'y2', 'y']);
    expect(layout.yaxis2).toMatchObject({ anchor: 'x', title: { text: 'acc' } });
  });

  it('shows no step in the hover of a point whose step is not a number', () => {
    const odd = item('1', 'loss', [1, 2, 3]);
    odd.series = { ...odd.series, steps: Float64Array.of(0, NaN, 20) };
    const [trace] = buildPlot([odd], base).traces;
    expect(trace!.customdata).toEqual([0, null, 20]);
    // Its x is a gap too: no line is drawn to a point that has no place on the axis.
    expect(trace!.x).toEqual(Float64Array.of(0, NaN, 20));
  });

  it('adds a faint raw line behind a smoothed one', () => {
    const { traces } = buildPlot([item('1', 'loss', [1, 2, 3])], { ...base, smoothing: 0.5 });
    expect(traces).toHaveLength(2);
    expect(traces[0]).toMatchObject({ opacity: 0.25, showlegend: false });
    expect(traces[0]!.y).toEqual(Float64Array.of(1, 2, 3));
    expect(traces[1]!.y[0]).toBeCloseTo(1);
    expect(traces[1]!.y[2]).not.toBe(3);
  });

  it('uses time since start or local wall time on x', () => {
    const relative = buildPlot([items[0]!], { ...base, xMode: 'relative' }).traces[0]!;
    expect(relative.x).toEqual(Float64Array.of(0, 1, 2, 3));
    const wall = buildPlot([items[0]!], { ...base, xMode: 'wall' });
    expect(typeof wall.traces[0]!.x[0]).toBe('string');
    expect(wall.layout.xaxis).toMatchObject({ type: 'date' });
    const back = parseAxisValue(wall.traces[0]!.x[1], 'wall');
    expect(back).toBe(1_700_000_001_000);
  });

  it('draws a group as a ±std band around its mean line', () => {
    const { traces } = buildPlot(items, {
      ...base,
      metrics: ['loss'],
      groups: [{ label: 'all', keys: ['1', '2'] }],
    });
    expect(traces.map((t) => t.showlegend)).toEqual([false, false, true]);
    // Plotly builds CSS selectors from uids: plain words only, one per trace.
    expect(traces.every((t) => /^[a-z0-9]+$/u.test(t.uid))).toBe(true);
    expect(new Set(traces.map((t) => t.uid)).size).toBe(3);
    const mean = traces[2]!;
    expect(mean.name).toContain('mean of 2');
    expect(mean.y[0]).toBe(3.5);
    // Step 20: run 1 has NaN there, so only run 2 counts.
    expect(mean.y[2]).toBe(2);
    expect(traces[1]).toMatchObject({ fill: 'tonexty' });
  });

  it('switches the y axis to log', () => {
    expect(buildPlot(items, { ...base, logY: true }).layout.yaxis).toMatchObject({ type: 'log' });
  });
});

describe('stepRangeFor', () => {
  const loss = item('1', 'loss', [5, 4, 3, 2, 1, 0]);

  it('is the axis range itself on a step axis', () => {
    expect(stepRangeFor(loss, 'step', 25, 5)).toEqual({ xMin: 5, xMax: 25 });
  });

  it('maps a time range to the steps of the loaded points around it', () => {
    // Seconds 1.5..3.2 hold the points at 2 s and 3 s (steps 20, 30); widened to 1 s and 4 s.
    expect(stepRangeFor(loss, 'relative', 1.5, 3.2)).toEqual({ xMin: 10, xMax: 40 });
    // Between two loaded points: the two around it.
    expect(stepRangeFor(loss, 'relative', 2.2, 2.4)).toEqual({ xMin: 20, xMax: 30 });
    expect(stepRangeFor(loss, 'relative', 100, 200)).toBeNull();
  });
});

describe('groupRuns', () => {
  const runs = [
    { key: 'a', config: { lr: 0.1, seed: 1 } },
    { key: 'b', config: { lr: 0.1, seed: 2 } },
    { key: 'c', config: { lr: 0.2, seed: 3 } },
  ];

  it('groups by the whole config except the seed', () => {
    const groups = groupRuns(runs, { mode: 'allBut', path: 'seed' });
    expect(groups.map((g) => g.keys)).toEqual([['a', 'b'], ['c']]);
    expect(groups[0]!.label).toBe('lr=0.1');
  });

  it('groups by the value of one key, missing values apart', () => {
    const groups = groupRuns([...runs, { key: 'd', config: { seed: 4 } }], {
      mode: 'value',
      path: 'lr',
    });
    expect(groups.map((g) => g.keys)).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(groups.map((g) => g.label)).toEqual(['lr = 0.1', 'lr = 0.2', 'lr = (missing)']);
  });
});
