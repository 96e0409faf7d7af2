import { describe, expect, it } from 'vitest';
import {
  configAxis,
  metricSummaryValue,
  runsInsideConstraints,
  runsOfSelectedPoints,
} from '../../renderer/src/model/compare-axes';
import type { CompareAxis } from '../../renderer/src/model/compare-axes';

const keys = ['r1', 'r2', 'r3', 'r4'];
const lr: CompareAxis = { label: 'lr', values: [0.001, 0.01, 0.1, NaN] };
const loss: CompareAxis = { label: 'loss', values: [0.5, 0.2, 0.9, 0.3] };

describe('brushing: constraint ranges to runs', () => {
  it('selects every run when no axis is constrained', () => {
    expect(runsInsideConstraints(keys, [lr, loss], [null, null])).toEqual(keys);
  });

  it('keeps the runs inside the range of one axis, ends included, reversed ranges too', () => {
    expect(runsInsideConstraints(keys, [lr, loss], [null, [0.2, 0.5]])).toEqual(['r1', 'r2', 'r4']);
    expect(runsInsideConstraints(keys, [lr, loss], [null, [0.5, 0.2]])).toEqual(['r1', 'r2', 'r4']);
  });

  it('intersects several axes and excludes runs without a value on a brushed axis', () => {
    expect(
      runsInsideConstraints(
        keys,
        [lr, loss],
        [
          [0, 0.05],
          [0, 0.4],
        ],
      ),
    ).toEqual(['r2']);
    expect(runsInsideConstraints(keys, [lr, loss], [[0, 1], null])).toEqual(['r1', 'r2', 'r3']);
  });

  it('accepts several ranges on one axis', () => {
    const two: [number, number][] = [
      [0.1, 0.25],
      [0.8, 1],
    ];
    expect(runsInsideConstraints(keys, [lr, loss], [null, two])).toEqual(['r2', 'r3']);
  });

  it('treats an empty list of ranges as no constraint', () => {
    expect(runsInsideConstraints(keys, [lr, loss], [[], null])).toEqual(keys);
  });

  it('maps scatter selections to run keys once each', () => {
    expect(
      runsOfSelectedPoints({
        points: [{ customdata: 'r2' }, { customdata: 'r4' }, { customdata: 'r2' }],
      }),
    ).toEqual(['r2', 'r4']);
    expect(runsOfSelectedPoints(undefined)).toEqual([]);
    expect(runsOfSelectedPoints({ points: [{ pointIndex: 1 }] })).toEqual([]);
  });
});

describe('compare axes', () => {
  it('makes numeric axes of numbers and categories of texts, NaN where missing', () => {
    const configs = [{ opt: 'sgd', lr: 0.1 }, { opt: 'adam', lr: 'NaN' }, { lr: 1 }];
    expect(configAxis('lr', configs).values).toEqual([0.1, NaN, 1]);
    const opt = configAxis('opt', configs);
    expect(opt.ticktext).toEqual(['"adam"', '"sgd"']);
    expect(opt.values).toEqual([1, 0, NaN]);
  });

  it('reads metric summaries as numbers', () => {
    const metrics = [{ name: 'loss', count: 3, first: 1, last: 'Infinity', min: 0.5, max: null }];
    expect(metricSummaryValue(metrics, 'loss', 'last')).toBe(Infinity);
    expect(metricSummaryValue(metrics, 'loss', 'min')).toBe(0.5);
    expect(metricSummaryValue(metrics, 'loss', 'max')).toBeNaN();
    expect(metricSummaryValue(metrics, 'acc', 'last')).toBeNaN();
  });
});
