import { useState } from 'react';
import type { ConnectionProfile } from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { passwordStateLabel, redactUri } from '../../model/connection-form';

interface Props {
  profiles: ConnectionProfile[];
  /** The profile in the form below, highlighted. */
  editingId: string | null;
  onOpen: (profile: ConnectionProfile) => void;
  onEdit: (profile: ConnectionProfile) => void;
  onRemoved: (id: string) => void;
}

/** Saved connections: open one to pick a database, edit it, or remove it (asked inline). */
export function ProfileList({ profiles, editingId, onOpen, onEdit, onRemoved }: Props) {
  const api = useApi();
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const [removingId, setRemovingId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(id: string): Promise<void> {
    setRemovingId(id);
    setError(null);
    try {
      await api.removeProfile({ id });
      setConfirmId(null);
      onRemoved(id);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setRemovingId(null);
    }
  }

  return (
    <div className="profile-list-box">
      <ul className="profile-list">
        {profiles.map((profile) => (
          <li
            key={profile.id}
            className={`profile-item${profile.id === editingId ? ' selected' : ''}`}
            data-testid="profile-item"
            data-profile-id={profile.id}
            data-profile-name={profile.name}
          >
            <button
              type="button"
              className="profile-main"
              data-testid="profile-open"
              title="Choose a database on this server"
              onClick={() => onOpen(profile)}
            >
              <span className="profile-name">{profile.name}</span>
              <span className="profile-uri">{redactUri(profile.uri)}</span>
              <span
                className={`profile-password password-${profile.passwordStorage}`}
                data-testid="profile-password-state"
              >
                Password: {passwordStateLabel(profile)}
              </span>
            </button>
            {confirmId === profile.id ? (
              <div className="profile-actions">
                <span className="muted">Remove this connection?</span>
                <button
                  type="button"
                  className="small danger-text"
                  data-testid="profile-remove-confirm"
                  disabled={removingId !== null}
                  onClick={() => void remove(profile.id)}
                >
                  {removingId === profile.id ? 'Removing…' : 'Remove'}
                </button>
                <button
                  type="button"
                  className="small"
                  disabled={removingId !== null}
                  onClick={() => setConfirmId(null)}
                >
                  Keep
                </button>
              </div>
            ) : (
              <div className="profile-actions">
                <button
                  type="button"
                  className="small"
                  data-testid="profile-edit"
                  onClick={() => onEdit(profile)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="small danger-text"
                  data-testid="profile-remove"
                  onClick={() => setConfirmId(profile.id)}
                >
                  Remove
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {error !== null && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
