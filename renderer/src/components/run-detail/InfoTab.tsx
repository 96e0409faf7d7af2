import type { RunDetail } from '../../../../shared/contract';
import { dataFileRows } from '../../model/data-files';
import { emptyPartText } from '../../model/part-problems';
import { DataTree } from '../common/DataTree';

const KIND_LABEL = { artifact: 'artifact', minio: 'raw data (MinIO)', local: 'raw data (local)' };

/** `info` as a tree, with an Altar upload's `dataFiles` as a table first. */
export function InfoTab({ run }: { run: RunDetail }) {
  const rows = dataFileRows(run.info);
  const { dataFiles: _dataFiles, ...rest } = run.info;
  return (
    <div className="info-tab stack">
      {rows !== null && (
        <>
          <h3>Data files</h3>
          {rows.length === 0 ? (
            <p className="muted">info.dataFiles lists no files.</p>
          ) : (
            <table className="data-table" data-testid="data-files">
              <thead>
                <tr>
                  <th>Kind</th>
                  <th>Name</th>
                  <th>File</th>
                  <th>Type</th>
                  <th>Size</th>
                  <th>Acquired</th>
                  <th>Where</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.kind}:${row.stem}`}>
                    <td>{KIND_LABEL[row.kind]}</td>
                    <td>{row.stem}</td>
                    <td>
                      <code>{row.fileName}</code>
                    </td>
                    <td>{row.type ?? ''}</td>
                    <td className="numeric">{row.size ?? ''}</td>
                    <td>{row.acquired ?? <span className="muted">unknown</span>}</td>
                    <td>{row.location === null ? '' : <code>{row.location}</code>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Other info</h3>
        </>
      )}
      <DataTree
        data={rows === null ? run.info : rest}
        testId="info-tree"
        emptyText={emptyPartText(run.warnings, 'info', 'Nothing was stored in info.')}
      />
    </div>
  );
}
