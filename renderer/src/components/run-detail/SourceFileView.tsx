import { useMemo } from 'react';
import type { RunKey, SourceFileContent } from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useLoader } from '../../hooks/use-loader';
import { highlightSource } from '../../model/highlight';
import { lineNumbersText } from '../../model/line-numbers';

/** One stored source file of a run, syntax-highlighted. */
export function SourceFileView({ runKey, name }: { runKey: RunKey; name: string }) {
  const api = useApi();
  const loaded = useLoader(
    () => api.getSourceFile({ source: runKey.source, id: runKey.id, name }),
    [api, runKey.source, runKey.id, name],
  );
  if (loaded.state === 'loading') return <div className="loading">Loading {name}…</div>;
  if (loaded.state === 'error') {
    return (
      <div className="detail-error" role="alert">
        {name} could not be loaded: {errorMessage(loaded.error)}
      </div>
    );
  }
  return <HighlightedFile file={loaded.data} />;
}

function HighlightedFile({ file }: { file: SourceFileContent }) {
  const html = useMemo(() => highlightSource(file.name, file.text), [file]);
  const numbers = useMemo(() => lineNumbersText(file.text), [file]);
  return (
    <div className="source-file">
      <div className="source-file-name">
        {file.name}
        {file.truncated && <span className="muted"> (truncated)</span>}
      </div>
      {/* One scroller for the gutter and the code, so the numbers stay beside their lines. */}
      <div className="source-body">
        <pre className="code line-numbers" aria-hidden="true" data-testid="line-numbers">
          {numbers}
        </pre>
        {html === null ? (
          <pre className="code">{file.text}</pre>
        ) : (
          // Safe: highlight.js escapes the text and adds only its own span elements.
          <pre className="code hljs" dangerouslySetInnerHTML={{ __html: html }} />
        )}
      </div>
    </div>
  );
}
