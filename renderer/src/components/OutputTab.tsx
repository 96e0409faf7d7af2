import { useMemo, useState } from 'react';
import type { RunDetail } from '../../../shared/contract';
import { errorMessage } from '../hooks/report-error-context';
import { useApi } from '../hooks/use-api';
import { useLoader } from '../hooks/use-loader';
import { capturedOutputToHtml } from '../model/ansi-html';
import { formatBytes, formatMegabytes } from '../model/format';

const DEFAULT_BYTES = 4 * 1024 * 1024;
const MAX_BYTES = 64 * 1024 * 1024;

/** The run's stdout/stderr tail, with colours, progress bars collapsed to their last state. */
export function OutputTab({ run }: { run: RunDetail }) {
  const api = useApi();
  const [maxBytes, setMaxBytes] = useState(DEFAULT_BYTES);
  const [reload, setReload] = useState(0);
  const loaded = useLoader(
    () => api.getCapturedOutput({ source: run.source, id: run.id, maxBytes }),
    [api, run.source, run.id, maxBytes, reload],
  );
  const html = useMemo(
    () => (loaded.state === 'done' ? capturedOutputToHtml(loaded.data.text) : ''),
    [loaded],
  );

  if (loaded.state === 'loading') return <div className="loading">Loading captured output…</div>;
  if (loaded.state === 'error') {
    return (
      <div className="detail-error" role="alert">
        The captured output could not be loaded: {errorMessage(loaded.error)}
      </div>
    );
  }
  const output = loaded.data;
  return (
    <div className="output-tab">
      <div className="toolbar">
        {output.truncated ? (
          <span className="notice">
            Showing the last {formatMegabytes(new TextEncoder().encode(output.text).length)} MB of{' '}
            {formatMegabytes(output.totalBytes)} MB.
            {maxBytes < MAX_BYTES && output.totalBytes > maxBytes && (
              <button type="button" className="link-button" onClick={() => setMaxBytes(MAX_BYTES)}>
                Load up to 64 MB
              </button>
            )}
          </span>
        ) : (
          <span className="muted">{output.text === '' ? '' : formatBytes(output.totalBytes)}</span>
        )}
        <span className="spacer" />
        <button type="button" className="small" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {output.text === '' ? (
        <p className="muted">This run printed nothing (or its output was not captured).</p>
      ) : (
        // Safe: ansi-to-html runs with escapeXML, so only its own colour spans are markup.
        <pre
          className="captured-output"
          data-testid="captured-output"
          dangerouslySetInnerHTML={{ __html: html }}
        />
      )}
    </div>
  );
}
