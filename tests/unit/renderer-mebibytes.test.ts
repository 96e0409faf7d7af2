import { describe, expect, it } from 'vitest';
import { formatMebibytes } from '../../renderer/src/model/mebibytes';

describe('Settings sizes in one unit', () => {
  it('writes usage and limit both in MiB', () => {
    expect(formatMebibytes(2 * 1024 ** 3)).toBe('2048 MiB');
    expect(formatMebibytes(1.5 * 1024 ** 2)).toBe('1.5 MiB');
    expect(formatMebibytes(300 * 1024)).toBe('0.3 MiB');
    expect(formatMebibytes(0)).toBe('0 MiB');
  });

  it('writes nothing for an impossible size', () => {
    expect(formatMebibytes(-1)).toBe('');
    expect(formatMebibytes(Number.NaN)).toBe('');
  });
});
