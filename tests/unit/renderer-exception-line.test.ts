import { describe, expect, it } from 'vitest';
import { exceptionLine } from '../../renderer/src/model/exception-line';

describe("a failed run's exception line", () => {
  it('is the last non-blank line of the traceback, chunks holding several lines', () => {
    const trace = [
      'Traceback (most recent call last):\n',
      '  File "train.py", line 12, in main\n    raise ValueError("loss is NaN")\n',
      'ValueError: loss is NaN\n',
      '\n',
    ];
    expect(exceptionLine(trace)).toBe('ValueError: loss is NaN');
  });

  it('is absent without a trace or with only blank lines', () => {
    expect(exceptionLine(null)).toBeNull();
    expect(exceptionLine([])).toBeNull();
    expect(exceptionLine(['  \n', '\r\n'])).toBeNull();
  });
});
