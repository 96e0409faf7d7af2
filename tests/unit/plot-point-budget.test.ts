import { describe, expect, it } from 'vitest';
import {
  PLOT_MARGINS_PX,
  nextPointBudget,
  pointBudget,
} from '../../renderer/src/model/plot-point-budget';

describe('points asked per trace of a metric plot', () => {
  it('is one point per pixel of the plotting area, in hundreds', () => {
    expect(pointBudget(PLOT_MARGINS_PX + 2000)).toBe(2000);
    expect(pointBudget(PLOT_MARGINS_PX + 1450)).toBe(1500);
    expect(pointBudget(PLOT_MARGINS_PX + 1449)).toBe(1400);
  });

  it('never asks fewer than 200 or more than 4000 points', () => {
    expect(pointBudget(0)).toBe(200);
    expect(pointBudget(PLOT_MARGINS_PX + 100)).toBe(200);
    expect(pointBudget(5000)).toBe(4000);
  });

  it('takes the measured width once the plot has none yet', () => {
    expect(nextPointBudget(null, PLOT_MARGINS_PX + 2000)).toBe(2000);
  });

  it('keeps its budget when the width moves a little (a scroll bar appears)', () => {
    // 2000 → 1950 px: 2000 → 1900 points, within 15 %: no trace is asked again.
    expect(nextPointBudget(2000, PLOT_MARGINS_PX + 1950)).toBe(2000);
    expect(nextPointBudget(2000, PLOT_MARGINS_PX + 2280)).toBe(2000);
  });

  it('asks again when the width changes a lot', () => {
    expect(nextPointBudget(2000, PLOT_MARGINS_PX + 2400)).toBe(2400);
    expect(nextPointBudget(2000, PLOT_MARGINS_PX + 1600)).toBe(1600);
  });
});
