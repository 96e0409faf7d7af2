import { useEffect, useState } from 'react';
import { useApi } from '../../hooks/use-api';
import { Modal } from '../common/Modal';

interface Props {
  source: string;
  onClose: () => void;
}

interface Unreadable {
  id: string;
  reason: string;
}

/** More than this many are counted, not listed: each reason is one call to the core. */
const MAX_LISTED = 100;

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'done'; runs: Unreadable[]; total: number };

/**
 * The runs of a source that could not be read, each with the reason the sync stored (empty
 * run.json, a config that is not JSON, …), so "3 unreadable" leads somewhere.
 */
export function UnreadableRunsDialog({ source, onClose }: Props) {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const result = await api.queryRuns({
          sources: [source],
          where: 'status = "UNREADABLE"',
          sort: [{ column: 'id', desc: false }],
          columns: ['id'],
          limit: MAX_LISTED,
        });
        const runs: Unreadable[] = [];
        // One at a time: the core answers one call at a time anyway.
        for (const row of result.rows) {
          const run = await api.getRun({ source, id: row.id });
          runs.push({ id: row.id, reason: run.unreadable ?? 'no reason was recorded' });
        }
        if (current) setLoaded({ state: 'done', runs, total: result.total });
      } catch (error) {
        if (current) {
          setLoaded({
            state: 'failed',
            message: error instanceof Error ? error.message : String(error),
          });
        }
      }
    })();
    return () => {
      current = false;
    };
  }, [api, source]);

  return (
    <Modal titleId="unreadable-runs-title" onClose={onClose} testId="unreadable-runs-dialog">
      <h2 id="unreadable-runs-title">Unreadable runs in {source}</h2>
      {loaded.state === 'loading' && <p className="muted">Reading the reasons…</p>}
      {loaded.state === 'failed' && <p className="form-error">{loaded.message}</p>}
      {loaded.state === 'done' && (
        <>
          <p className="muted">
            These runs are listed with status UNREADABLE; fix the files and sync the source again.
          </p>
          {loaded.runs.length === 0 ? (
            <p>No unreadable runs are left.</p>
          ) : (
            <ul className="unreadable-list" data-testid="unreadable-list">
              {loaded.runs.map((run) => (
                <li key={run.id} data-testid="unreadable-run" data-run-id={run.id}>
                  <strong>Run {run.id}</strong>:{' '}
                  <span className="unreadable-reason">{run.reason}</span>
                </li>
              ))}
            </ul>
          )}
          {loaded.total > loaded.runs.length && (
            <p className="muted">
              …and {loaded.total - loaded.runs.length} more (filter the table with status =
              UNREADABLE to see them all).
            </p>
          )}
        </>
      )}
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
