import { useEffect, useMemo, useState } from 'react';
import type { RunKey, SourceInfo } from '../../../../shared/contract';
import type { BackupEstimate } from '../../../../shared/contract/backup-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { BackupEstimateView } from './BackupEstimateView';
import { BackupOperationDialog } from './BackupOperationDialog';
import { useBackupOperation } from './use-backup-operation';
import './backup.css';

function bySource(runs: readonly RunKey[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const run of runs) groups.set(run.source, [...(groups.get(run.source) ?? []), run.id]);
  return groups;
}

/** Why a source cannot take the copies, or null when it can. */
function refusal(target: SourceInfo, from: ReadonlySet<string>): string | null {
  if (from.size === 1 && from.has(target.name)) return 'the runs’ own source';
  if (!target.writable) return 'read-only: turn on “Allow edits” in its ⋯ menu';
  return null;
}

function sum(estimates: readonly BackupEstimate[]): BackupEstimate {
  const total: BackupEstimate = {
    runs: 0,
    metrics: 0,
    metricPoints: 0,
    artifacts: 0,
    artifactBytes: 0,
    artifactsUnknownSize: 0,
    rawDataFiles: 0,
    rawDataBytes: 0,
    notes: [],
  };
  for (const one of estimates) {
    total.runs += one.runs;
    total.metrics += one.metrics;
    total.metricPoints += one.metricPoints;
    total.artifacts += one.artifacts;
    total.artifactBytes += one.artifactBytes;
    total.artifactsUnknownSize += one.artifactsUnknownSize;
    total.rawDataFiles += one.rawDataFiles;
    total.rawDataBytes += one.rawDataBytes;
    for (const note of one.notes) if (!total.notes.includes(note)) total.notes.push(note);
  }
  return total;
}

/**
 * "Copy selected runs to…": everything of each run (config, info, output, metrics, artifacts,
 * sources, tags and notes) into another writable source. Copying again adds nothing twice.
 */
export function CopyRunsDialog({
  runs,
  onClose,
}: {
  runs: readonly RunKey[];
  onClose: () => void;
}) {
  const api = useApi();
  const operation = useBackupOperation();
  const groups = useMemo(() => [...bySource(runs)], [runs]);
  const from = useMemo(() => new Set(groups.map(([source]) => source)), [groups]);
  const [sources, setSources] = useState<SourceInfo[] | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [estimate, setEstimate] = useState<BackupEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([
      api.listSources({}),
      Promise.all(groups.map(([source, ids]) => api.estimateBackup({ source, runIds: ids }))),
    ])
      .then(([listed, estimates]) => {
        if (!live) return;
        setSources(listed);
        setEstimate(sum(estimates));
        setTarget(
          (current) => current ?? listed.find((s) => refusal(s, from) === null)?.name ?? null,
        );
      })
      .catch((caught: unknown) => {
        if (live) setError(errorMessage(caught));
      });
    return () => {
      live = false;
    };
  }, [api, groups, from]);

  const running = operation.state.kind === 'running';
  const chosen = sources?.find((source) => source.name === target) ?? null;
  const canStart = !running && chosen !== null && refusal(chosen, from) === null;

  return (
    <BackupOperationDialog
      operation={operation}
      titleId="copy-runs-title"
      title={
        <>
          Copy {runs.length.toLocaleString()} run{runs.length === 1 ? '' : 's'} to…
        </>
      }
      testId="copy-runs-dialog"
      onClose={onClose}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!canStart || chosen === null) return;
          const to = chosen.name;
          void operation.start(
            groups
              .filter(([source]) => source !== to)
              .map(
                ([source, ids]) =>
                  (operationId: string) =>
                    api.copyRuns({ from: source, to, runIds: ids, operationId }),
              ),
          );
        }}
      >
        {error !== null && (
          <p className="danger-text" role="alert">
            {error}
          </p>
        )}
        <fieldset className="backup-targets" data-testid="copy-targets">
          <legend>Into</legend>
          {sources === null && <p className="muted">Loading sources…</p>}
          {sources?.map((source) => {
            const why = refusal(source, from);
            return (
              <label
                key={source.name}
                className={why === null ? 'backup-target' : 'backup-target disabled'}
                data-testid="copy-target"
              >
                <input
                  type="radio"
                  name="copy-target"
                  value={source.name}
                  disabled={why !== null}
                  checked={target === source.name}
                  onChange={() => setTarget(source.name)}
                />
                {source.name}{' '}
                <span className="muted">
                  ({source.kind === 'mongo' ? 'MongoDB' : 'folder'}
                  {why === null ? '' : `, ${why}`})
                </span>
              </label>
            );
          })}
        </fieldset>
        {from.has(target ?? '') && (
          <p className="muted">The runs already in “{target}” stay where they are.</p>
        )}
        <BackupEstimateView estimate={estimate} rawData={null} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="primary" data-testid="copy-start" disabled={!canStart}>
            Copy
          </button>
        </div>
      </form>
    </BackupOperationDialog>
  );
}
