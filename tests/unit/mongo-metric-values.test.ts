// How a metrics document's points become the numbers a plot draws: each value type Sacred or a
// hand-written document may store, each time format, missing arrays, and the notes a run shows
// when a point could not be taken as written. Expected values are written out by hand.
import { Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import {
  compactMetricDocument,
  metricNumber,
  timestampMs,
  toParsedMetric,
} from '../../main/core/mongo/mongo-metrics';

const JAN_2_030405 = Date.UTC(2024, 0, 2, 3, 4, 5);

describe('metric values as numbers', () => {
  it('takes every numeric type as its value', () => {
    expect(metricNumber(0.25)).toBe(0.25);
    expect(metricNumber(-3)).toBe(-3);
    expect(metricNumber(12n)).toBe(12);
    expect(metricNumber(-(2n ** 40n))).toBe(-(2 ** 40));
    expect(metricNumber(true)).toBe(1);
    expect(metricNumber(false)).toBe(0);
    expect(metricNumber(new Date(1234))).toBe(1234);
    expect(metricNumber(Long.fromNumber(-7))).toBe(-7);
    expect(metricNumber(new Int32(9))).toBe(9);
    expect(metricNumber(new Double(2.5))).toBe(2.5);
    expect(metricNumber(Decimal128.fromString('-1.25'))).toBe(-1.25);
  });

  it('makes NaN of what is not a number', () => {
    expect(metricNumber(null)).toBeNaN();
    expect(metricNumber(undefined)).toBeNaN();
    expect(metricNumber('3')).toBeNaN();
    expect(metricNumber({ value: 3 })).toBeNaN();
    expect(metricNumber([3])).toBeNaN();
    expect(metricNumber(Decimal128.fromString('NaN'))).toBeNaN();
    expect(metricNumber(new ObjectId('6b08a5525023ea84f3dd2883'))).toBeNaN();
  });
});

// `npm run test:tz` runs these under Asia/Tokyo, where a text read in the local zone is 9 h off
// (no zone switch in the file: the mutation run's test workers cannot switch it).
describe('metric times in ms', () => {
  it('reads dates, Sacred time strings and epoch numbers as UTC', () => {
    expect(timestampMs(new Date(JAN_2_030405))).toBe(JAN_2_030405);
    expect(timestampMs('2024-01-02T03:04:05')).toBe(JAN_2_030405);
    expect(timestampMs('  2024-01-02 03:04:05  ')).toBe(JAN_2_030405);
    // Spaces around a time with microseconds: the Sacred reader, not Date.parse, keeps them.
    expect(timestampMs(' 2024-01-02T03:04:05.000250 ')).toBe(JAN_2_030405 + 0.25);
    expect(timestampMs('2024-01-02T03:04:05.000250')).toBe(JAN_2_030405 + 0.25);
    expect(timestampMs('2024-01-02T05:04:05+02:00')).toBe(JAN_2_030405);
    expect(timestampMs(1_700_000_000_000)).toBe(1_700_000_000_000);
  });

  it('reads other date texts as UTC unless they name a zone', () => {
    expect(timestampMs('2024/01/02 03:04:05')).toBe(JAN_2_030405);
    expect(timestampMs('2024/01/02 03:04:05Z')).toBe(JAN_2_030405);
    expect(timestampMs('2024/01/02 05:04:05+0200')).toBe(JAN_2_030405);
    expect(timestampMs('2024/01/02 01:04:05-02:00')).toBe(JAN_2_030405);
  });

  it('has no time for what is not one', () => {
    expect(timestampMs('not a time')).toBeNaN();
    expect(timestampMs('')).toBeNaN();
    expect(timestampMs(null)).toBeNaN();
    expect(timestampMs(true)).toBeNaN();
    expect(timestampMs({ $date: 5 })).toBeNaN();
  });
});

describe('a metrics document as plotted points', () => {
  it('numbers the points 0, 1, 2 … when steps are missing, and has no times without them', () => {
    const warnings: string[] = [];
    const metric = toParsedMetric('acc', { values: [0.5, 0.75, 1] }, warnings);
    expect([...metric.steps]).toEqual([0, 1, 2]);
    expect([...metric.values]).toEqual([0.5, 0.75, 1]);
    expect([...metric.timestamps]).toEqual([NaN, NaN, NaN]);
    expect(metric.name).toBe('acc');
    expect(warnings).toEqual([]);
  });

  it('has no points when values are missing or not a list', () => {
    const warnings: string[] = [];
    const metric = toParsedMetric('acc', { values: 'oops', steps: 7 }, warnings);
    expect(metric.values.length).toBe(0);
    expect(metric.steps.length).toBe(0);
    expect(metric.timestamps.length).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('notes values that were not numbers and times that were not times, not None or NaN', () => {
    const warnings: string[] = [];
    const metric = toParsedMetric(
      'loss',
      {
        steps: [0, 1, 2, 3, 4],
        values: [1, 'high', null, NaN, { x: 1 }],
        timestamps: [new Date(0), 'soon', null, 'later', 5],
      },
      warnings,
    );
    expect([...metric.values]).toEqual([1, NaN, NaN, NaN, NaN]);
    expect([...metric.timestamps]).toEqual([0, NaN, NaN, NaN, 5]);
    expect(warnings).toEqual([
      'metric "loss": 2 values were not numbers (kept as NaN)',
      'metric "loss": 2 times were not readable times (kept as no time)',
    ]);
    const one: string[] = [];
    toParsedMetric('loss', { values: ['x'], timestamps: ['y'] }, one);
    expect(one).toEqual([
      'metric "loss": 1 value was not numbers (kept as NaN)',
      'metric "loss": 1 time was not a readable time (kept as no time)',
    ]);
  });

  it('says which arrays differ in length', () => {
    const warnings: string[] = [];
    toParsedMetric('m', { steps: [0, 1, 2], values: [1, 2, 3], timestamps: [1] }, warnings);
    expect(warnings).toEqual([
      'metric "m" has 3 steps, 3 values and 1 timestamps; the shortest length is kept',
    ]);
    const steps: string[] = [];
    toParsedMetric('m', { steps: [0], values: [1, 2] }, steps);
    expect(steps).toEqual([
      'metric "m" has 1 steps, 2 values and 2 timestamps; the shortest length is kept',
    ]);
  });

  it('compacts a driver document to typed arrays, keeping its other fields', () => {
    const id = new ObjectId('6b08a5525023ea84f3dd2883');
    const doc = {
      _id: id,
      run_id: 7,
      name: 'loss',
      steps: [Long.fromNumber(10), 20],
      values: [new Double(0.5), 'x'],
      timestamps: [new Date(1000), '2024-01-02T03:04:05'],
    };
    const compact = compactMetricDocument(doc);
    expect(compact._id).toBe(id);
    expect(compact.run_id).toBe(7);
    expect(compact.name).toBe('loss');
    expect(compact.steps).toEqual(new Float64Array([10, 20]));
    expect(compact.values).toEqual(new Float64Array([0.5, NaN]));
    expect(compact.timestamps).toEqual(new Float64Array([1000, JAN_2_030405]));
    // The compacted arrays still carry what was lost, for the run's note.
    const warnings: string[] = [];
    const metric = toParsedMetric('loss', compact, warnings);
    expect([...metric.steps]).toEqual([10, 20]);
    expect(warnings).toEqual(['metric "loss": 1 value was not numbers (kept as NaN)']);
    expect(doc.values).toHaveLength(2);
    expect(compactMetricDocument({ name: 'x', steps: 3 })).toEqual({ name: 'x', steps: 3 });
  });
});
