import { useEffect, useState } from 'react';
import type { RunKey } from '../../../../shared/contract';
import type { DeletePreview } from '../../../../shared/contract/delete-methods';
import { errorCode, errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { Modal } from '../common/Modal';
import './delete-runs.css';

interface Props {
  runs: readonly RunKey[];
  onClose: () => void;
  /** After the delete: the runs that are gone (the cache dropped them already). */
  onDeleted: (runs: RunKey[]) => void;
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'confirm'; previews: DeletePreview[] }
  | { kind: 'deleting'; previews: DeletePreview[] }
  /** A run changed since the preview: the user is asked again ("delete anyway?"). */
  | { kind: 'changed'; previews: DeletePreview[]; message: string; pending: DeletePreview[] }
  | { kind: 'failed'; message: string };

function bySource(runs: readonly RunKey[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const run of runs) groups.set(run.source, [...(groups.get(run.source) ?? []), run.id]);
  return groups;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * "Delete…" for one run or the selected ones: the core's preview says how many runs, metric
 * points and files go (and that raw data stays); Delete passes back what was shown, so a run
 * that changed meanwhile is asked about again instead of deleted.
 */
export function DeleteRunsDialog({ runs, onClose, onDeleted }: Props) {
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    const groups = [...bySource(runs)];
    Promise.all(groups.map(([source, ids]) => api.previewDeleteRuns({ source, ids })))
      .then((previews) => {
        if (live) setPhase({ kind: 'confirm', previews });
      })
      .catch((error: unknown) => {
        if (live) setPhase({ kind: 'failed', message: errorMessage(error) });
      });
    return () => {
      live = false;
    };
  }, [api, runs]);

  async function remove(previews: DeletePreview[], anyway: boolean): Promise<void> {
    setPhase({ kind: 'deleting', previews });
    const gone: RunKey[] = [];
    for (const [index, preview] of previews.entries()) {
      try {
        const done = await api.deleteRuns({
          source: preview.source,
          ids: preview.runs.map((run) => run.id),
          // What the user saw; "delete anyway" sends none, so no check.
          ...(anyway
            ? {}
            : {
                expected: preview.runs.map(({ id, status, heartbeat }) => ({
                  id,
                  status,
                  heartbeat,
                })),
              }),
        });
        gone.push(...done.deleted.map((id) => ({ source: preview.source, id })));
      } catch (error) {
        if (gone.length > 0) onDeleted(gone);
        if (errorCode(error) === 'CONFLICT') {
          setPhase({
            kind: 'changed',
            previews,
            message: errorMessage(error),
            pending: previews.slice(index),
          });
        } else {
          setPhase({ kind: 'failed', message: errorMessage(error) });
        }
        return;
      }
    }
    onDeleted(gone);
    onClose();
  }

  const previews = phase.kind === 'loading' || phase.kind === 'failed' ? [] : phase.previews;
  const count = previews.reduce((sum, preview) => sum + preview.runs.length, 0);
  const refusals = previews.filter((preview) => preview.refusal !== null);
  const trashOnly = previews.every((preview) => preview.action === 'trash');

  return (
    <Modal
      titleId="delete-runs-title"
      onClose={onClose}
      testId="delete-runs-dialog"
      className="delete-runs-dialog"
    >
      <div className="dialog-title-row">
        <h2 id="delete-runs-title">
          {trashOnly ? 'Move' : 'Delete'} {plural(count || runs.length, 'run')}?
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {phase.kind === 'loading' && <p className="muted">Counting what would go…</p>}
      {phase.kind === 'failed' && (
        <p className="danger-text" role="alert" data-testid="delete-runs-error">
          {phase.message}
        </p>
      )}
      {previews.map((preview) => (
        <div key={preview.source} className="delete-preview" data-testid="delete-preview">
          <p className="delete-counts" data-testid="delete-counts">
            <strong>{plural(preview.runs.length, 'run')}</strong> of “{preview.source}”:{' '}
            {plural(preview.metricPoints, 'metric point')},{' '}
            {plural(preview.artifactFiles + (preview.sourceFiles ?? 0), 'file')}
          </p>
          <p className="delete-message">{preview.message}</p>
        </div>
      ))}
      {phase.kind === 'changed' && (
        <p className="danger-text" role="alert" data-testid="delete-runs-changed">
          Changed meanwhile: {phase.message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        {phase.kind === 'changed' ? (
          <button
            type="button"
            className="danger"
            data-testid="delete-runs-anyway"
            onClick={() => void remove(phase.pending, true)}
          >
            Delete anyway
          </button>
        ) : (
          <button
            type="button"
            className="danger"
            data-testid="delete-runs-confirm"
            disabled={phase.kind !== 'confirm' || refusals.length > 0 || count === 0}
            title={refusals[0]?.refusal ?? undefined}
            onClick={() => phase.kind === 'confirm' && void remove(phase.previews, false)}
          >
            {phase.kind === 'deleting' ? 'Deleting…' : trashOnly ? 'Move to trash' : 'Delete'}
          </button>
        )}
      </div>
    </Modal>
  );
}
