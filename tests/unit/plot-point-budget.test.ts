import { describe, expect, it } from 'vitest';
import { downsampleIndices } from '../../shared/downsample';
import {
  PLOT_MARGINS_PX,
  nextPointBudget,
  pointBudget,
} from '../../renderer/src/model/plot-point-budget';

describe('points asked per trace of a metric plot', () => {
  it('is two points per pixel of the plotting area, in hundreds', () => {
    expect(pointBudget(PLOT_MARGINS_PX + 1000)).toBe(2000);
    expect(pointBudget(PLOT_MARGINS_PX + 726)).toBe(1500);
    expect(pointBudget(PLOT_MARGINS_PX + 724)).toBe(1400);
  });

  it('never asks fewer than 200 or more than 4000 points', () => {
    expect(pointBudget(0)).toBe(200);
    expect(pointBudget(PLOT_MARGINS_PX + 50)).toBe(200);
    expect(pointBudget(5000)).toBe(4000);
  });

  it('takes the measured width once the plot has none yet', () => {
    expect(nextPointBudget(null, PLOT_MARGINS_PX + 1000)).toBe(2000);
  });

  it('keeps its budget when the width moves a little (a scroll bar appears)', () => {
    // 1000 → 985 px: 2000 → 1900 points, within 15 %: no trace is asked again.
    expect(nextPointBudget(2000, PLOT_MARGINS_PX + 985)).toBe(2000);
    expect(nextPointBudget(2000, PLOT_MARGINS_PX + 1140)).toBe(2000);
  });

  it('asks again when the width changes a lot', () => {
    expect(nextPointBudget(2000, PLOT_MARGINS_PX + 1200)).toBe(2400);
    expect(nextPointBudget(2000, PLOT_MARGINS_PX + 800)).toBe(1600);
  });

  it('shares twenty points a pixel among the traces of a figure of more than ten', () => {
    expect(pointBudget(PLOT_MARGINS_PX + 1000, 10)).toBe(2000);
    expect(pointBudget(PLOT_MARGINS_PX + 1000, 15)).toBe(1300);
    expect(pointBudget(PLOT_MARGINS_PX + 1000, 20)).toBe(1000);
  });

  it('never gives a trace fewer than one point a pixel, however many there are', () => {
    expect(pointBudget(PLOT_MARGINS_PX + 1000, 100)).toBe(1000);
    expect(pointBudget(PLOT_MARGINS_PX + 50, 100)).toBe(200);
  });

  it('keeps its budget when one run of twenty is hidden, asks again when one is left', () => {
    expect(nextPointBudget(1000, PLOT_MARGINS_PX + 1000, 19)).toBe(1000);
    expect(nextPointBudget(1000, PLOT_MARGINS_PX + 1000, 1)).toBe(2000);
  });

  it('still draws a one-step spike and the lowest point of a million at the shared budget', () => {
    const values = Float64Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i / 5000));
    values[654_321] = 40;
    values[123_457] = -3;
    const kept = downsampleIndices(values, pointBudget(PLOT_MARGINS_PX + 1000, 20));
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept).toContain(654_321);
    expect(kept).toContain(123_457);
  });
});
