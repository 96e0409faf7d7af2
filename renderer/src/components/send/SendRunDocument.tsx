import type { SendMapping, SendPreviewFolder } from '../../../../shared/contract/send-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useLatestAnswer } from '../../hooks/use-latest-answer';
import { DataTree } from '../common/DataTree';

interface Props {
  source: string;
  folder: string;
  mapping: SendMapping;
}

/** Typing in a field asks the core once it pauses, not at every key. */
const PREVIEW_DELAY_MS = 350;

/** The run document the folder would give with this mapping (previewSend; nothing written). */
export function SendRunDocument({ source, folder, mapping }: Props) {
  const api = useApi();
  const answer = useLatestAnswer<SendPreviewFolder | null>(
    JSON.stringify([source, folder, mapping]),
    async () => (await api.previewSend({ source, folders: [folder], mapping })).folders[0] ?? null,
    PREVIEW_DELAY_MS,
  );
  return (
    <section className="send-run-document" data-testid="send-run-document">
      <h4>The run it gives</h4>
      {answer.state === 'loading' && <p className="muted">Reading…</p>}
      {answer.state === 'error' && (
        <div className="form-error" role="alert">
          {errorMessage(answer.error)}
        </div>
      )}
      {answer.state === 'done' && answer.data !== null && (
        <>
          {answer.data.problems.map((problem) => (
            <div key={problem} className="form-error" data-testid="send-document-problem">
              {problem}
            </div>
          ))}
          <DataTree data={answer.data.document} openDepth={1} testId="send-document-tree" />
        </>
      )}
    </section>
  );
}
