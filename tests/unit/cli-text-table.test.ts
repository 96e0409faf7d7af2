import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/contract';
import { formatDuration, renderRunsTable } from '../../main/cli/format/runs-table';
import { renderTable, truncate } from '../../main/cli/format/text-table';
import { fakeRunSummary } from './fake-run-summary';

const run = (over: Partial<RunSummary>): RunSummary =>
  fakeRunSummary({
    experiment: 'exp',
    start_time: '2026-11-26T21:32:02.430Z',
    stop_time: '2026-11-26T22:34:05.000Z',
    ...over,
  });

describe('terminal tables', () => {
  it('cuts long cells with an ellipsis and keeps columns aligned', () => {
    const text = renderTable(
      [
        { header: 'A', max: 5 },
        { header: 'B', max: 10, align: 'right' },
      ],
      [
        ['abcdefghij', '1'],
        ['x', '12345'],
      ],
      80,
    );
    expect(text).toBe('A          B\nabcd…      1\nx      12345\n');
    expect(truncate('héllo wörld', 6)).toBe('héllo…');
  });

  it('shrinks the widest column to fit the terminal and strips control characters', () => {
    const text = renderTable(
      [{ header: 'X', max: 100 }],
      [['a\x1b[31mred\r\n' + 'y'.repeat(90)]],
      40,
    );
    const lines = text.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(40);
    expect(lines.every((line) => [...line].every((c) => c.charCodeAt(0) >= 0x20))).toBe(true);
    expect(text).toContain('ared y');
  });

  it('shows duration, dead and unreadable runs the way a user reads them', () => {
    expect(formatDuration(4200)).toBe('4.2s');
    expect(formatDuration(62 * 60_000 + 3000)).toBe('1h 02m');
    const text = renderRunsTable(
      [
        run({}),
        run({
          id: '2',
          status: 'RUNNING',
          probablyDead: true,
          stop_time: null,
          heartbeat: '2026-11-26T21:33:02.430Z',
        }),
        run({
          id: '3',
          status: 'UNREADABLE',
          unreadable: 'run.json is empty',
          experiment: null,
          start_time: null,
          stop_time: null,
          host: null,
        }),
      ],
      200,
    );
    expect(text).toMatch(/\n1\s+COMPLETED\s+exp\s+\S+ \S+\s+1h 02m\s+vm\n/u);
    expect(text).toContain('RUNNING (dead?)');
    expect(text).toMatch(/\n3\s+UNREADABLE\s+run\.json is empty\n/u);
  });
});
