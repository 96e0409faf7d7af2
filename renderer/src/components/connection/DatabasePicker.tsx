import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type {
  ConnectionProfile,
  DatabaseInfo,
  DatabaseList,
  SourceInfo,
} from '../../../../shared/contract';
import type { SyncProgress } from '../../../../shared/events';
import { errorCode, errorMessage, useReportError } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useCancellableOperation } from '../../hooks/use-cancellable-operation';
import { formatBytes } from '../../model/format';
import { suggestMongoSourceName } from '../../model/source-name';
import { ProgressBar } from '../common/ProgressBar';
import { Spinner } from '../common/Spinner';

interface Props {
  profile: ConnectionProfile;
  /** A database picked from the connection test's list: opened ready to add once listed. */
  preferred?: string;
  onAdded: (source: SourceInfo) => void;
  /** Back to the connection list, optionally to edit this profile (wrong or missing password). */
  onBack: (edit: boolean) => void;
}

type Listing =
  | { state: 'loading' }
  | { state: 'cancelled' }
  | { state: 'error'; message: string; code: string | null }
  | { state: 'done'; list: DatabaseList };

/** Where the new source would read from: a database and a collection prefix (null: `runs`). */
interface Pending {
  database: string;
  prefix: string | null;
  /** Typed by hand (the user may not list databases) rather than picked from the list. */
  typed: boolean;
}

/** Step two of connecting: the server's databases, with their Sacred collections to add. */
export function DatabasePicker({ profile, preferred, onAdded, onBack }: Props) {
  const api = useApi();
  const listing = useCancellableOperation();
  const [result, setResult] = useState<Listing>({ state: 'loading' });
  const [pending, setPending] = useState<Pending | null>(null);

  const load = useCallback(async () => {
    setResult({ state: 'loading' });
    const outcome = await listing.run((operationId) =>
      api.listDatabases({ profileId: profile.id, operationId }),
    );
    if (outcome.status === 'done') {
      setResult({ state: 'done', list: outcome.value });
      const wanted = outcome.value.databases.find((db) => db.name === preferred);
      if (wanted !== undefined) {
        setPending(
          (current) =>
            current ?? {
              database: wanted.name,
              prefix: wanted.sacred[0]?.prefix ?? null,
              typed: false,
            },
        );
      }
    } else if (outcome.status === 'failed') {
      setResult({
        state: 'error',
        message: errorMessage(outcome.error),
        code: errorCode(outcome.error),
      });
    }
  }, [api, profile.id, preferred, listing.run]);

  useEffect(() => {
    void load();
  }, [load]);

  function cancel(): void {
    listing.cancel();
    setResult({ state: 'cancelled' });
  }

  const choose = (database: string, prefix: string | null, typed = false): void =>
    setPending({ database, prefix, typed });
  const isPending = (database: string, prefix: string | null): boolean =>
    pending !== null &&
    !pending.typed &&
    pending.database === database &&
    pending.prefix === prefix;
  const addPanel =
    pending === null ? null : (
      <AddSourcePanel
        key={`${pending.database}\u0000${pending.prefix ?? ''}`}
        profile={profile}
        pending={pending}
        onAdded={onAdded}
        onCancel={() => setPending(null)}
      />
    );

  return (
    <div className="database-picker" data-testid="database-picker">
      <div className="picker-header">
        <button
          type="button"
          className="small"
          data-testid="picker-back"
          onClick={() => onBack(false)}
        >
          ← Connections
        </button>
        <span className="muted picker-server" title={profile.uri}>
          {profile.name}
        </span>
        <span className="spacer" />
        {result.state !== 'loading' && (
          <button
            type="button"
            className="small"
            data-testid="db-refresh"
            onClick={() => void load()}
          >
            Refresh
          </button>
        )}
      </div>

      {result.state === 'loading' && (
        <div className="busy-line" data-testid="db-loading">
          <Spinner /> Listing databases…
          <button type="button" className="small" data-testid="db-cancel" onClick={cancel}>
            Cancel
          </button>
        </div>
      )}
      {result.state === 'cancelled' && (
        <div className="busy-line muted">
          Cancelled.
          <button type="button" className="small" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {result.state === 'error' && (
        <div className="form-error" data-testid="db-error" role="alert">
          <div>{result.message}</div>
          <div className="form-error-actions">
            <button type="button" className="small" onClick={() => void load()}>
              Try again
            </button>
            {(result.code === 'PASSWORD_REQUIRED' || result.code === 'AUTH_FAILED') && (
              <button
                type="button"
                className="small"
                data-testid="db-edit-profile"
                onClick={() => onBack(true)}
              >
                Enter the password
              </button>
            )}
          </div>
        </div>
      )}
      {result.state === 'done' && (
        <DatabaseListView
          list={result.list}
          isPending={isPending}
          onChoose={choose}
          addPanel={addPanel}
          typedPending={pending?.typed === true}
        />
      )}
    </div>
  );
}

function DatabaseListView({
  list,
  isPending,
  onChoose,
  addPanel,
  typedPending,
}: {
  list: DatabaseList;
  isPending: (database: string, prefix: string | null) => boolean;
  onChoose: (database: string, prefix: string | null, typed?: boolean) => void;
  addPanel: ReactNode;
  typedPending: boolean;
}) {
  const withRuns = list.databases.filter((db) => db.sacred.length > 0);
  const without = list.databases.filter((db) => db.sacred.length === 0);
  const [typedDb, setTypedDb] = useState('');
  const [typedPrefix, setTypedPrefix] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);

  function addTyped(event: FormEvent): void {
    event.preventDefault();
    const database = typedDb.trim();
    if (database === '') {
      setTypedError('Type the name of the database that holds the runs.');
      return;
    }
    setTypedError(null);
    onChoose(database, typedPrefix.trim() === '' ? null : typedPrefix.trim(), true);
  }

  return (
    <div className="database-list-box">
      {withRuns.length === 0 && list.complete && (
        <div className="notice">No database on this server holds Sacred runs.</div>
      )}
      <ul className="database-list">
        {withRuns.map((db) => (
          <DatabaseItem
            key={db.name}
            db={db}
            isPending={isPending}
            onChoose={onChoose}
            addPanel={addPanel}
          />
        ))}
        {without.map((db) => (
          <li
            key={db.name}
            className="database-item dimmed"
            data-testid="db-item"
            data-db={db.name}
            data-sacred="false"
          >
            <div className="database-head">
              <span className="database-name">{db.name}</span>
              <span className="muted">
                no Sacred runs{db.sizeOnDisk !== null ? ` · ${formatBytes(db.sizeOnDisk)}` : ''}
              </span>
              <span className="spacer" />
              <button
                type="button"
                className="small link-button"
                data-testid="db-add-anyway"
                title="Add the database's `runs` collection even though no runs were found"
                onClick={() => onChoose(db.name, null)}
              >
                Add anyway
              </button>
            </div>
            {isPending(db.name, null) && addPanel}
          </li>
        ))}
      </ul>
      {!list.complete && (
        <form className="typed-database" onSubmit={addTyped}>
          <div className="notice">This user may not list databases; type a database name.</div>
          <div className="typed-database-row">
            <label className="field">
              <span>Database</span>
              <input
                data-testid="db-name-input"
                value={typedDb}
                placeholder="sacred"
                spellCheck={false}
                onChange={(event) => setTypedDb(event.target.value)}
              />
            </label>
            <label className="field">
              <span>Collection prefix</span>
              <input
                data-testid="db-prefix-input"
                value={typedPrefix}
                placeholder="(none: runs)"
                spellCheck={false}
                onChange={(event) => setTypedPrefix(event.target.value)}
              />
            </label>
            <button type="submit" data-testid="db-name-add">
              Add
            </button>
          </div>
          {typedError !== null && (
            <div className="form-error" role="alert">
              {typedError}
            </div>
          )}
        </form>
      )}
      {typedPending && addPanel}
    </div>
  );
}

function DatabaseItem({
  db,
  isPending,
  onChoose,
  addPanel,
}: {
  db: DatabaseInfo;
  isPending: (database: string, prefix: string | null) => boolean;
  onChoose: (database: string, prefix: string | null) => void;
  addPanel: ReactNode;
}) {
  return (
    <li className="database-item" data-testid="db-item" data-db={db.name} data-sacred="true">
      <div className="database-head">
        <span className="database-name">{db.name}</span>
        {db.sizeOnDisk !== null && <span className="muted">{formatBytes(db.sizeOnDisk)}</span>}
      </div>
      <ul className="collection-list">
        {db.sacred.map((collection) => (
          <li
            key={collection.runsCollection}
            className="collection-item"
            data-testid="db-collection"
            data-prefix={collection.prefix ?? ''}
          >
            <div className="collection-row">
              <code>{collection.runsCollection}</code>
              <span className="muted">
                {collection.runCount} {collection.runCount === 1 ? 'run' : 'runs'}
              </span>
              <span className="spacer" />
              <button
                type="button"
                className="small"
                data-testid="db-add-source"
                disabled={isPending(db.name, collection.prefix)}
                onClick={() => onChoose(db.name, collection.prefix)}
              >
                Add as source
              </button>
            </div>
            {isPending(db.name, collection.prefix) && addPanel}
          </li>
        ))}
      </ul>
    </li>
  );
}

/**
 * Names the new source and adds it. The core syncs a source when it is added, so the call can
 * take a while: its progress events are shown meanwhile.
 */
function AddSourcePanel({
  profile,
  pending,
  onAdded,
  onCancel,
}: {
  profile: ConnectionProfile;
  pending: Pending;
  onAdded: (source: SourceInfo) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const reportError = useReportError();
  const [name, setName] = useState(() =>
    suggestMongoSourceName(profile.name, pending.database, pending.prefix),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // Subscribed before the call starts: the core may report progress before its reply arrives.
  const addingName = useRef<string | null>(null);
  useEffect(
    () =>
      api.on('syncProgress', (event) => {
        if (event.source === addingName.current) setProgress(event);
      }),
    [api],
  );

  async function add(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (!/^[\w.-]{1,64}$/u.test(trimmed)) {
      setError('A source name may contain only letters, digits, "_", "-" and "." (64 at most).');
      return;
    }
    setBusy(true);
    setError(null);
    setProgress(null);
    addingName.current = trimmed;
    try {
      const source = await api.addMongoSource({
        name: trimmed,
        profileId: profile.id,
        database: pending.database,
        ...(pending.prefix !== null ? { prefix: pending.prefix } : {}),
      });
      onAdded(source);
    } catch (caught) {
      // The dialog may have been closed while the source was being added.
      if (mounted.current) setError(errorMessage(caught));
      else reportError(caught);
    } finally {
      addingName.current = null;
      if (mounted.current) setBusy(false);
    }
  }

  return (
    <form className="add-source-panel" data-testid="add-source-panel" onSubmit={(e) => void add(e)}>
      <label className="field">
        <span>
          Source name for <code>{pending.database}</code> ·{' '}
          <code>{pending.prefix === null ? 'runs' : `${pending.prefix}_runs`}</code>
        </span>
        <input
          data-testid="source-name-input"
          autoFocus
          value={name}
          spellCheck={false}
          disabled={busy}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      {busy && <ProgressBar progress={progress} />}
      {error !== null && (
        <div className="form-error" data-testid="source-add-error" role="alert">
          {error}
        </div>
      )}
      <div className="form-actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="source-add-submit" disabled={busy}>
          {busy ? 'Adding and reading runs…' : 'Add source'}
        </button>
      </div>
    </form>
  );
}
