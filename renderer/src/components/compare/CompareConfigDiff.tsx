import { useMemo, useState } from 'react';
import { configDiff, visibleDiffRows } from '../../../../shared/config-diff';
import type { ComparedRun } from './compare-types';

/** Config keys as rows, runs as columns; equal rows hidden unless asked for. */
export function CompareConfigDiff({ runs }: { runs: ComparedRun[] }) {
  const [onlyDiff, setOnlyDiff] = useState(true);
  const rows = useMemo(() => configDiff(runs.map((r) => r.run.config)), [runs]);
  const shown = visibleDiffRows(rows, onlyDiff);
  const differing = rows.filter((row) => row.differs).length;
  return (
    <div className="compare-config">
      <div className="toolbar">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={onlyDiff}
            onChange={(event) => setOnlyDiff(event.target.checked)}
            data-testid="compare-only-diff"
          />{' '}
          only differences
        </label>
        <span className="muted">
          {differing} of {rows.length} keys differ
        </span>
      </div>
      {shown.length === 0 ? (
        <p className="muted">
          {rows.length === 0 ? 'None of these runs has a config.' : 'The configs are identical.'}
        </p>
      ) : (
        <table className="compare-table" data-testid="compare-config-table">
          <thead>
            <tr>
              <th>key</th>
              {runs.map((r) => (
                <th key={r.key}>{r.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr
                key={row.path}
                data-testid="compare-diff-row"
                data-path={row.path}
                data-differs={row.differs ? 'yes' : 'no'}
                className={row.differs ? 'differs' : undefined}
              >
                <th scope="row" className="compare-path">
                  {row.path}
                </th>
                {row.cells.map((cell, index) => (
                  <td
                    key={runs[index]?.key ?? index}
                    className={cell.present ? undefined : 'missing'}
                  >
                    {cell.present ? cell.text : '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
