import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../shared/events';
import { formatEtaLeft, syncProgressLabel } from '../../renderer/src/model/sync-progress-label';
import { formatByteSize } from '../../shared/byte-size';

const base: SyncProgress = {
  source: 'lab',
  phase: 'reading',
  done: 120,
  total: 20_000,
  runId: '121',
  message: null,
};

describe('the label under a sync progress bar', () => {
  it('says runs, points, bytes and the time left while reading', () => {
    expect(
      syncProgressLabel({ ...base, points: 1_234_567, bytes: 48_300_000, etaSeconds: 185 }),
    ).toEqual({
      main: 'Reading runs 120 / 20000 (run 121)',
      detail: '1,234,567 points · 48.3 MB · 3 min 05 s left',
    });
  });

  it('leaves out what an older core (or a folder source) does not report', () => {
    expect(syncProgressLabel(base)).toEqual({
      main: 'Reading runs 120 / 20000 (run 121)',
      detail: null,
    });
    expect(syncProgressLabel({ ...base, etaSeconds: null, points: 10 }).detail).toBe('10 points');
    expect(syncProgressLabel({ ...base, phase: 'scanning', total: 0, done: 0 }).main).toBe(
      'Scanning',
    );
    expect(syncProgressLabel(null)).toEqual({ main: 'Working…', detail: null });
  });

  it('formats sizes and times a person reads', () => {
    expect(formatByteSize(999)).toBe('999 B');
    expect(formatByteSize(1500)).toBe('1.5 kB');
    expect(formatByteSize(2_500_000_000)).toBe('2.5 GB');
    expect(formatEtaLeft(42)).toBe('42 s left');
    expect(formatEtaLeft(7260)).toBe('2 h 01 min left');
    expect(formatEtaLeft(undefined)).toBeNull();
  });
});
