import type { RunKey } from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useLoader } from '../../hooks/use-loader';
import { outputDiff } from '../../model/output-diff';
import type { ComparedRun } from './compare-types';

const MAX_BYTES = 2 * 1024 * 1024;
const MAX_LINES = 3000;

/** Line diff of the captured output of exactly two runs. */
export function CompareOutputDiff({ runs }: { runs: ComparedRun[] }) {
  const api = useApi();
  const [a, b] = runs;
  const keys: RunKey[] = runs.map((r) => ({ source: r.run.source, id: r.run.id }));
  const loaded = useLoader(async () => {
    if (keys.length !== 2) return null;
    const [left, right] = await Promise.all(
      keys.map((key) => api.getCapturedOutput({ ...key, maxBytes: MAX_BYTES })),
    );
    if (left === undefined || right === undefined) return null;
    return {
      diff: outputDiff(left.text, right.text, MAX_LINES),
      truncated: left.truncated || right.truncated,
    };
  }, [api, runs.map((r) => r.key).join('\u0002')]);
  if (runs.length !== 2 || a === undefined || b === undefined) {
    return <p className="muted">Select exactly two runs to compare their captured output.</p>;
  }
  if (loaded.state === 'loading') return <div className="loading">Loading output…</div>;
  if (loaded.state === 'error') {
    return (
      <div className="detail-error" role="alert">
        The captured output could not be loaded: {errorMessage(loaded.error)}
      </div>
    );
  }
  const data = loaded.data;
  if (data === null) return null;
  if (data.diff.tooDifferent) {
    return <p className="muted">The two outputs are too different to show as a line diff.</p>;
  }
  return (
    <div className="compare-output">
      <p className="muted">
        <span className="diff-removed-mark">− {a.label}</span> ·{' '}
        <span className="diff-added-mark">+ {b.label}</span>
        {data.truncated && ' · only the last 2 MB of each output are compared'}
        {data.diff.clipped && ` · first ${MAX_LINES} lines shown`}
      </p>
      {data.diff.lines.length === 0 ? (
        <p className="muted">Neither run captured any output.</p>
      ) : (
        <pre className="output-diff" data-testid="compare-output-diff">
          {data.diff.lines.map((line, index) => (
            <div key={index} className={`diff-line diff-${line.kind}`} data-kind={line.kind}>
              {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '− ' : '  '}
              {line.text}
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}
