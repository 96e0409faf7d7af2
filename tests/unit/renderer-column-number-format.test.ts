import { describe, expect, it } from 'vitest';
import { chooseNumberFormat, formatWith } from '../../renderer/src/model/column-number-format';

const shown = (values: unknown[]): string[] => {
  const format = chooseNumberFormat(values);
  return values.filter((v): v is number => typeof v === 'number').map((v) => formatWith(format, v));
};

describe('one number format per column', () => {
  it('writes a learning-rate sweep all in scientific notation, not 1.000e-4 beside 0.1', () => {
    expect(shown([0.0001, 0.1, 0.01])).toEqual(['1.000e-4', '1.000e-1', '1.000e-2']);
  });

  it('gives a column of losses the same decimals on every row', () => {
    expect(shown([0.5, 0.1234567, 2.25])).toEqual(['0.500', '0.123', '2.250']);
  });

  it('uses no more decimals than the values have', () => {
    expect(shown([0.5, 1, 2.5])).toEqual(['0.5', '1.0', '2.5']);
  });

  it('uses the decimals the most precise value needs, wherever it is in the column', () => {
    // A summary starts from the decimals needed so far: a value needing fewer after one that
    // needed more (or before it) must not change the answer.
    for (const values of [
      [0.5, 0.125, 0.25],
      [0.125, 0.5, 0.25],
      [0.25, 0.5, 0.125],
    ]) {
      expect(chooseNumberFormat(values)).toEqual({ kind: 'fixed', decimals: 3 });
    }
    expect(chooseNumberFormat([0.5, 0.25, 0.75])).toEqual({ kind: 'fixed', decimals: 2 });
    expect(chooseNumberFormat([0.123456789, 0.5])).toEqual({ kind: 'fixed', decimals: 3 });
  });

  it('keeps integers whole and ignores text and nulls', () => {
    expect(shown([1, 1000, 'n/a', null, 42])).toEqual(['1', '1000', '42']);
    expect(chooseNumberFormat([])).toEqual({ kind: 'integer' });
  });

  it('goes scientific for huge values, and writes zero plainly', () => {
    expect(shown([0, 2.5e7, 3.5])).toEqual(['0', '2.500e+7', '3.500e+0']);
  });
});
