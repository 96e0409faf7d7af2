import { useCallback, useEffect, useState } from 'react';
import type { ConnectionProfile, SourceInfo } from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { ConnectionForm } from './ConnectionForm';
import { DatabasePicker } from './DatabasePicker';
import { Modal } from '../common/Modal';
import { ProfileList } from './ProfileList';
import { Spinner } from '../common/Spinner';

type Step =
  | { kind: 'connections'; editing: ConnectionProfile | null }
  | { kind: 'databases'; profile: ConnectionProfile; preferred?: string };

type Profiles =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'done'; list: ConnectionProfile[] };

/**
 * Connecting to MongoDB in two steps: a connection (saved profiles, or a new one to add and
 * test), then a database and collection prefix on that server, which become a source.
 */
export function MongoDialog({
  onAdded,
  onClose,
}: {
  onAdded: (source: SourceInfo) => void;
  onClose: () => void;
}) {
  const api = useApi();
  const [step, setStep] = useState<Step>({ kind: 'connections', editing: null });
  const [profiles, setProfiles] = useState<Profiles>({ state: 'loading' });

  const loadProfiles = useCallback(async (): Promise<ConnectionProfile[]> => {
    try {
      const list = await api.listProfiles({});
      setProfiles({ state: 'done', list });
      return list;
    } catch (error) {
      setProfiles({ state: 'error', message: errorMessage(error) });
      return [];
    }
  }, [api]);

  useEffect(() => {
    void loadProfiles();
  }, [loadProfiles]);

  const onSaved = useCallback(
    (profile: ConnectionProfile, database?: string) => {
      void loadProfiles();
      setStep({ kind: 'databases', profile, preferred: database });
    },
    [loadProfiles],
  );

  const editing = step.kind === 'connections' ? step.editing : null;

  return (
    <Modal
      titleId="mongo-dialog-title"
      onClose={onClose}
      className="mongo-dialog"
      testId="mongo-dialog"
      closeOnBackdrop={false}
    >
      <div className="dialog-title-row">
        <h2 id="mongo-dialog-title">
          {step.kind === 'connections' ? 'Connect to MongoDB' : 'Choose a database'}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close"
          data-testid="mongo-dialog-close"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {step.kind === 'databases' ? (
        <DatabasePicker
          key={step.profile.id}
          profile={step.profile}
          preferred={step.preferred}
          onAdded={onAdded}
          onBack={(edit) => setStep({ kind: 'connections', editing: edit ? step.profile : null })}
        />
      ) : (
        <>
          {profiles.state === 'loading' && (
            <div className="busy-line muted">
              <Spinner /> Loading saved connections…
            </div>
          )}
          {profiles.state === 'error' && (
            <div className="form-error" role="alert">
              {profiles.message}{' '}
              <button type="button" className="small" onClick={() => void loadProfiles()}>
                Try again
              </button>
            </div>
          )}
          {profiles.state === 'done' && profiles.list.length > 0 && (
            <>
              <h3>Saved connections</h3>
              <ProfileList
                profiles={profiles.list}
                editingId={editing?.id ?? null}
                onOpen={(profile) => setStep({ kind: 'databases', profile })}
                onEdit={(profile) => setStep({ kind: 'connections', editing: profile })}
                onRemoved={(id) => {
                  if (editing?.id === id) setStep({ kind: 'connections', editing: null });
                  void loadProfiles();
                }}
              />
            </>
          )}
          <h3>{editing === null ? 'New connection' : `Edit “${editing.name}”`}</h3>
          <ConnectionForm
            key={editing?.id ?? 'new'}
            profile={editing}
            onSaved={onSaved}
            onCancelEdit={() => setStep({ kind: 'connections', editing: null })}
          />
        </>
      )}
    </Modal>
  );
}
