import { useState } from 'react';
import type { SourceInfo } from '../../../../shared/contract';
import type { SyncProgress } from '../../../../shared/events';
import { useReportError } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { formatLocalTime, formatUtcTitle } from '../../model/format';
import { ProgressBar } from '../common/ProgressBar';
import { SourceMenu } from './SourceMenu';
import { UnreadableRunsDialog } from './UnreadableRunsDialog';
import { PendingEditsLink } from './PendingEditsLink';
import { WritableBadge } from './WritableBadge';

interface Props {
  source: SourceInfo;
  progress: SyncProgress | null;
  selected: boolean;
  onSelect: () => void;
  onSync: () => void;
  onRemove: () => void;
}

/** One source in the sidebar: what it is, how many runs, and whether its last sync worked. */
export function SourceItem({ source, progress, selected, onSelect, onSync, onRemove }: Props) {
  const mongo = source.kind === 'mongo';
  const syncing =
    source.state === 'syncing' ||
    (progress !== null && progress.phase !== 'done' && progress.phase !== 'failed');
  const api = useApi();
  const reportError = useReportError();
  const [unreadableOpen, setUnreadableOpen] = useState(false);
  const connection = syncing ? 'syncing' : source.online ? 'online' : 'offline';
  return (
    <li
      className={`source-item${selected ? ' selected' : ''}`}
      data-testid="source-item"
      data-source={source.name}
      data-kind={source.kind}
      data-online={source.online ? 'true' : 'false'}
      data-state={connection}
      aria-current={selected ? 'true' : undefined}
    >
      <button type="button" className="source-main" onClick={onSelect} title={source.location}>
        <span className="source-name">
          {mongo ? (
            <span
              className={`online-dot ${source.online ? 'online' : 'offline'}`}
              data-testid="source-online-dot"
              title={
                source.online
                  ? 'The server answers'
                  : `Offline: ${source.lastError ?? 'the server cannot be reached right now'}`
              }
              role="img"
              aria-label={source.online ? 'online' : 'offline'}
            />
          ) : (
            !source.online && (
              <span className="source-offline" title="The folder cannot be reached right now">
                ⚠{' '}
              </span>
            )
          )}
          {source.name}
          <span className={`kind-tag kind-${source.kind}`} data-testid="source-kind">
            {mongo ? 'MongoDB' : 'folder'}
          </span>
          <WritableBadge writable={source.writable} />
        </span>
        <span className="source-location">{source.location}</span>
        <span className="source-counts">
          {source.runCount} {source.runCount === 1 ? 'run' : 'runs'}
        </span>
      </button>
      {source.unreadableCount > 0 && (
        <button
          type="button"
          className="link-button source-unreadable"
          data-testid="source-unreadable"
          title="Which runs could not be read, and why"
          onClick={() => setUnreadableOpen(true)}
        >
          {source.unreadableCount} unreadable
        </button>
      )}
      {mongo && <PendingEditsLink source={source.name} />}
      {unreadableOpen && (
        <UnreadableRunsDialog source={source.name} onClose={() => setUnreadableOpen(false)} />
      )}
      {syncing ? (
        <div className="source-sync">
          <ProgressBar progress={progress} />
          <button
            type="button"
            className="small"
            data-testid="sync-cancel"
            title="Stop after the run being read; what was read stays cached"
            onClick={() => {
              api.cancelSync({ source: source.name }).catch(reportError);
            }}
          >
            Cancel
          </button>
        </div>
      ) : (
        <div className="source-state">
          {source.lastSyncAt !== null ? (
            <span title={formatUtcTitle(source.lastSyncAt)}>
              Synced {formatLocalTime(source.lastSyncAt)}
            </span>
          ) : (
            <span className="muted">Never synced</span>
          )}
          {mongo && (
            <span
              className={source.online ? 'source-online-label' : 'source-offline-label'}
              data-testid="source-connection"
            >
              {' '}
              · {source.online ? 'online' : 'offline'}
            </span>
          )}
        </div>
      )}
      {source.lastError !== null && !syncing && (
        <div className="source-error">{source.lastError}</div>
      )}
      <div className="source-actions">
        <button
          type="button"
          className="small"
          data-testid="sync-button"
          onClick={onSync}
          disabled={syncing}
        >
          {syncing ? 'Syncing…' : 'Sync'}
        </button>
        <button type="button" className="small danger-text" onClick={onRemove} disabled={syncing}>
          Remove
        </button>
        <SourceMenu
          source={source.name}
          kind={source.kind}
          trustedFolders={source.trustedFolders}
          notifyFinishedRuns={source.notifyFinishedRuns}
          writable={source.writable}
        />
      </div>
    </li>
  );
}
