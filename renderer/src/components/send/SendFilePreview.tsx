import type { SendFilePreview as Preview } from '../../../../shared/contract/send-files-methods';
import { errorMessage } from '../../hooks/report-error-context';
import type { Answer } from '../../hooks/use-latest-answer';
import { formatByteSize } from '../../../../shared/byte-size';
import { DataTree } from '../common/DataTree';

interface Props {
  file: string;
  answer: Answer<Preview>;
}

/** One mapped file as the send will read it: its problem, the table's first rows, the parsed config. */
export function SendFilePreview({ file, answer }: Props) {
  return (
    <section className="send-file-preview" data-testid="send-file-preview" data-file={file}>
      <h4>
        <code>{file}</code>
        {answer.state === 'done' && (
          <span className="muted"> · {formatByteSize(answer.data.size)}</span>
        )}
      </h4>
      {answer.state === 'loading' && <p className="muted">Reading…</p>}
      {answer.state === 'error' && <div className="form-error">{errorMessage(answer.error)}</div>}
      {answer.state === 'done' && <PreviewBody preview={answer.data} />}
    </section>
  );
}

function PreviewBody({ preview }: { preview: Preview }) {
  return (
    <>
      {preview.problem !== null && (
        <div className="form-error" role="alert" data-testid="send-file-problem">
          {preview.problem}
        </div>
      )}
      {preview.table !== null && (
        <div className="send-table-scroll">
          <table className="send-table-preview" data-testid="send-table-preview">
            <tbody>
              {preview.table.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, cellIndex) => (
                    <td key={cellIndex}>{cell === null ? '' : String(cell)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {preview.tableRows !== null && preview.tableRows > preview.table.length && (
            <p className="muted">
              First {preview.table.length} of {preview.tableRows} rows.
            </p>
          )}
        </div>
      )}
      {preview.parsed !== null && (
        <DataTree data={preview.parsed} searchable={false} testId="send-parsed-file" />
      )}
      {preview.table === null && preview.parsed === null && preview.text !== null && (
        <pre className="send-text-preview">{preview.text}</pre>
      )}
      {preview.table === null && preview.parsed === null && preview.text === null && (
        <p className="muted">A binary file: stored as it is.</p>
      )}
    </>
  );
}
