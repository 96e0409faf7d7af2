import { useEffect, useMemo, useRef, useState } from 'react';
import { useReportError } from '../../hooks/report-error-context';
import { ArtifactFetchError } from '../../model/artifact-fetch-error';
import {
  columnValues,
  MAX_TABLE_ROWS,
  numericColumns,
  parseCsvTable,
  sortRows,
} from '../../model/csv-table';
import type { CsvTable } from '../../model/csv-table';
import { fetchTextPreview } from '../../model/fetch-text-preview';
import { ArtifactUnavailable } from './ArtifactUnavailable';
import { loadPlotly } from '../../hooks/use-plotly-figure';

/** Enough bytes for 5,000 ordinary rows; a 2 GB CSV is never pulled whole. */
const TABLE_BYTES = 4 * 1024 * 1024;

type Loaded =
  { state: 'loading' } | { state: 'done'; table: CsvTable } | { state: 'error'; error: unknown };

/** A CSV/TSV artifact as a sortable table (first rows) with a quick plot of a numeric column. */
export function CsvArtifact({ url, delimiter }: { url: string; delimiter: ',' | '\t' }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [sort, setSort] = useState<{ column: number; descending: boolean } | null>(null);
  const [plotColumn, setPlotColumn] = useState<number | null>(null);
  const reportError = useReportError();
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    setSort(null);
    setPlotColumn(null);
    fetchTextPreview(url, TABLE_BYTES).then(
      (preview) =>
        current &&
        setLoaded({
          state: 'done',
          table: parseCsvTable(preview.text, delimiter, { cut: preview.truncated }),
        }),
      (error: unknown) => {
        if (!current) return;
        setLoaded({ state: 'error', error });
        if (!(error instanceof ArtifactFetchError)) reportError(error);
      },
    );
    return () => {
      current = false;
    };
  }, [url, delimiter, reportError]);

  const table = loaded.state === 'done' ? loaded.table : null;
  const rows = useMemo(
    () =>
      table === null
        ? []
        : sort === null
          ? table.rows
          : sortRows(table.rows, sort.column, sort.descending),
    [table, sort],
  );
  const numeric = useMemo(() => (table === null ? [] : numericColumns(table)), [table]);

  if (loaded.state === 'loading') return <div className="loading">Loading…</div>;
  if (loaded.state === 'error') {
    return loaded.error instanceof ArtifactFetchError ? (
      <ArtifactUnavailable error={loaded.error} />
    ) : (
      <div className="detail-error" role="alert">
        The table could not be read.
      </div>
    );
  }
  const { header, truncated, errors } = loaded.table;
  return (
    <div className="csv-artifact">
      {truncated && (
        <div className="notice" data-testid="csv-truncated">
          Showing the first {loaded.table.rows.length.toLocaleString()} rows (at most{' '}
          {MAX_TABLE_ROWS.toLocaleString()} rows or 4 MB). Download the file to see all of it.
        </div>
      )}
      {errors.map((message) => (
        <div key={message} className="notice">
          {message}
        </div>
      ))}
      {numeric.length > 0 && (
        <div className="toolbar">
          <label>
            Plot column{' '}
            <select
              data-testid="csv-plot-column"
              value={plotColumn ?? ''}
              onChange={(event) =>
                setPlotColumn(event.target.value === '' ? null : Number(event.target.value))
              }
            >
              <option value="">—</option>
              {numeric.map((column) => (
                <option key={column} value={column}>
                  {header[column]}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {plotColumn !== null && (
        <ColumnPlot name={header[plotColumn] ?? ''} values={columnValues(rows, plotColumn)} />
      )}
      <div className="csv-table-scroll">
        <table className="csv-table" data-testid="csv-table">
          <thead>
            <tr>
              {header.map((name, column) => (
                <th key={column}>
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      setSort((current) => ({
                        column,
                        descending: current?.column === column ? !current.descending : false,
                      }))
                    }
                  >
                    {name}
                    {sort?.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                {header.map((_, column) => (
                  <td key={column}>{row[column] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** SVG lines (not WebGL): a few thousand points draw fast on software GL. */
function ColumnPlot({ name, values }: { name: string; values: number[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    let alive = true;
    void loadPlotly().then((plotly) => {
      if (!alive) return;
      void plotly.react(
        element,
        [{ type: 'scatter', mode: 'lines', name, y: values, x: values.map((_, i) => i + 1) }],
        { margin: { l: 50, r: 20, t: 20, b: 40 }, height: 260, xaxis: { title: { text: 'row' } } },
        { displaylogo: false, responsive: true },
      );
    });
    return () => {
      alive = false;
      purgePlot(element);
    };
  }, [name, values]);
  return <div ref={ref} className="csv-plot" data-testid="csv-plot" />;
}

function purgePlot(element: HTMLElement): void {
  void loadPlotly().then((plotly) => plotly.purge(element));
}
