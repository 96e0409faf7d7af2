import { describe, expect, it } from 'vitest';
import { csvHeader, csvLines } from '../../main/core/query/export-runs';
import { resolveColumn } from '../../main/core/query/query-engine';

describe('CSV export headers', () => {
  it('are plain dotted paths a spreadsheet user can read', () => {
    const header = csvLines([
      ['metrics."train.loss".last', 'config.tau', 'id'].map((id) => csvHeader(resolveColumn(id))),
    ]);
    expect(header).toBe('metrics.train.loss.last,config.tau,id\r\n');
    expect(header).not.toContain('""');
  });
});
