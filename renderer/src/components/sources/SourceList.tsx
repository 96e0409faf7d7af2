import type { SourceInfo } from '../../../../shared/contract';
import type { SyncProgress } from '../../../../shared/events';
import { SettingsButton } from '../settings/SettingsButton';
import { SourceItem } from './SourceItem';

interface Props {
  sources: SourceInfo[];
  progress: Record<string, SyncProgress>;
  /** The source the run list is limited to, or null for all. */
  selected: string | null;
  onSelect: (name: string | null) => void;
  onSync: (names?: string[]) => void;
  onRemove: (name: string) => void;
  onAdd: () => void;
  onConnectMongo: () => void;
  /** Folds the sidebar away (Ctrl/Cmd+B does too). */
  onCollapse?: () => void;
  /** Folded away: kept mounted (its menus keep their state), not shown. */
  hidden?: boolean;
}

/** The sidebar: every source with its sync state, and the actions on them. */
export function SourceList({
  sources,
  progress,
  selected,
  onSelect,
  onSync,
  onRemove,
  onAdd,
  onConnectMongo,
  onCollapse,
  hidden = false,
}: Props) {
  const total = sources.reduce((sum, source) => sum + source.runCount, 0);
  return (
    <aside className="sidebar" hidden={hidden}>
      <div className="sidebar-header">
        <span className="app-title">Altar Viewer</span>
        {onCollapse !== undefined && (
          <button
            type="button"
            className="sidebar-toggle"
            data-testid="sidebar-collapse"
            aria-label="Hide the sidebar"
            aria-expanded={true}
            title="Hide the sidebar (Ctrl+B)"
            onClick={onCollapse}
          >
            «
          </button>
        )}
      </div>
      <div className="sidebar-section-title">
        <span>Sources</span>
        <button type="button" className="small" onClick={() => onSync()} title="Sync every source">
          Sync all
        </button>
      </div>
      <ul className="source-list">
        <li className={`source-all${selected === null ? ' selected' : ''}`}>
          <button type="button" className="source-main" onClick={() => onSelect(null)}>
            <span className="source-name">All sources</span>
            <span className="source-counts">
              {total} {total === 1 ? 'run' : 'runs'}
            </span>
          </button>
        </li>
        {sources.map((source) => (
          <SourceItem
            key={source.name}
            source={source}
            progress={progress[source.name] ?? null}
            selected={selected === source.name}
            onSelect={() => onSelect(source.name)}
            onSync={() => onSync([source.name])}
            onRemove={() => onRemove(source.name)}
          />
        ))}
      </ul>
      <div className="sidebar-footer">
        <button
          type="button"
          className="add-folder"
          data-testid="add-folder-button"
          onClick={onAdd}
        >
          + Add folder
        </button>
        <button
          type="button"
          className="add-folder"
          data-testid="connect-mongo-button"
          onClick={onConnectMongo}
        >
          + Connect to MongoDB
        </button>
        <SettingsButton />
      </div>
    </aside>
  );
}
