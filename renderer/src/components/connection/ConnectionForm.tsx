import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type {
  ConnectionFields,
  ConnectionProfile,
  DatabaseList,
} from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useSecretStoreStatus } from '../../hooks/use-secret-store-status';
import { rememberPasswordLabel } from '../../model/secret-store-notice';
import { useCancellableOperation } from '../../hooks/use-cancellable-operation';
import {
  connectionFieldsFromForm,
  emptyFormFields,
  formFieldsFromProfile,
  formatConnectionTest,
  passwordStateLabel,
  uriFromFields,
} from '../../model/connection-form';
import type { ConnectionFormFields, ConnectionMode } from '../../model/connection-form';
import { CaFileInput } from './CaFileInput';
import { TestedDatabases } from './TestedDatabases';
import { Spinner } from '../common/Spinner';

interface Props {
  /** The profile being edited, or null for a new one. */
  profile: ConnectionProfile | null;
  /** `database`: the one picked from a test's list, to open next ('' or absent: none). */
  onSaved: (profile: ConnectionProfile, database?: string) => void;
  /** Leaves editing (back to a blank form). */
  onCancelEdit?: () => void;
}

type Target = { uri: string } | { fields: ConnectionFields };

type Feedback =
  | { kind: 'none' }
  | { kind: 'ok'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'note'; text: string };

/**
 * Add or edit a connection profile. The URI is the source of truth and the core derives the
 * fields from it; this form never parses a URI, it only builds one from typed fields when the
 * user switches from Fields to URI.
 */
export function ConnectionForm({ profile, onSaved, onCancelEdit }: Props) {
  const api = useApi();
  const desktop = api.door === 'electron';
  const secretStore = useSecretStoreStatus();
  const [name, setName] = useState(profile?.name ?? '');
  const [mode, setMode] = useState<ConnectionMode>('uri');
  const [uri, setUri] = useState(profile?.uri ?? '');
  const [fields, setFields] = useState<ConnectionFormFields>(
    profile === null ? emptyFormFields : formFieldsFromProfile(profile.fields),
  );
  // What the user changed since the values last came from the core; decides what a toggle shows.
  const [uriEdited, setUriEdited] = useState(false);
  const [fieldsEdited, setFieldsEdited] = useState(false);
  const [password, setPassword] = useState('');
  const [forgetPassword, setForgetPassword] = useState(false);
  const [remember, setRemember] = useState(profile?.passwordStorage !== 'memory');
  const [feedback, setFeedback] = useState<Feedback>({ kind: 'none' });
  const [fieldsNote, setFieldsNote] = useState(false);
  const [saving, setSaving] = useState(false);
  const test = useCancellableOperation();
  // What the last successful test listed; cleared when a new test starts.
  const [tested, setTested] = useState<DatabaseList | null>(null);
  const [pickedDatabase, setPickedDatabase] = useState('');

  function edit<K extends keyof ConnectionFormFields>(key: K, value: ConnectionFormFields[K]) {
    setFields((current) => ({ ...current, [key]: value }));
    setFieldsEdited(true);
  }

  function switchMode(next: ConnectionMode): void {
    if (next === mode) return;
    if (next === 'uri' && fieldsEdited) {
      const built = connectionFieldsFromForm(fields);
      if (built.ok) {
        setUri(uriFromFields(built.fields));
        setUriEdited(true);
        setFieldsEdited(false);
      }
    }
    // Without a URI parser here, fields cannot follow a typed URI; say so rather than mislead.
    setFieldsNote(next === 'fields' && uriEdited);
    setMode(next);
  }

  function target(): { ok: true; target: Target } | { ok: false; error: string } {
    if (mode === 'uri') {
      const trimmed = uri.trim();
      if (trimmed === '') {
        return { ok: false, error: 'Enter a connection string, like mongodb://localhost:27017.' };
      }
      return { ok: true, target: { uri: trimmed } };
    }
    const built = connectionFieldsFromForm(fields);
    return built.ok ? { ok: true, target: { fields: built.fields } } : built;
  }

  /** Omitted keeps the stored password; null forgets it. */
  function passwordArg(): { password?: string | null } {
    if (forgetPassword) return { password: null };
    return password === '' ? {} : { password };
  }

  async function runTest(): Promise<void> {
    const unchanged = profile !== null && !uriEdited && !fieldsEdited;
    let args: { profileId?: string; uri?: string; fields?: ConnectionFields };
    if (unchanged) {
      args = { profileId: profile.id };
    } else {
      const checked = target();
      if (!checked.ok) {
        setFeedback({ kind: 'error', text: checked.error });
        return;
      }
      args = { ...(profile !== null ? { profileId: profile.id } : {}), ...checked.target };
    }
    setFeedback({ kind: 'none' });
    setTested(null);
    setPickedDatabase('');
    const outcome = await test.run((operationId) =>
      api.testConnection({ ...args, ...passwordArg(), operationId }),
    );
    if (outcome.status === 'done') {
      setFeedback({ kind: 'ok', text: formatConnectionTest(outcome.value) });
      setTested(outcome.value.databases);
    } else if (outcome.status === 'failed') {
      setFeedback({ kind: 'error', text: errorMessage(outcome.error) });
    }
  }

  function cancelTest(): void {
    test.cancel();
    setFeedback({ kind: 'note', text: 'Connection test cancelled.' });
  }

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (saving) return;
    if (name.trim() === '') {
      setFeedback({ kind: 'error', text: 'Give the connection a name, like “lab server”.' });
      return;
    }
    const checked = target();
    if (!checked.ok) {
      setFeedback({ kind: 'error', text: checked.error });
      return;
    }
    test.cancel();
    setSaving(true);
    setFeedback({ kind: 'none' });
    try {
      const saved = await api.saveProfile({
        ...(profile !== null ? { id: profile.id } : {}),
        name: name.trim(),
        ...checked.target,
        ...passwordArg(),
        ...(desktop ? { rememberPassword: remember } : {}),
      });
      setPassword('');
      setForgetPassword(false);
      setUri(saved.uri);
      setFields(formFieldsFromProfile(saved.fields));
      setUriEdited(false);
      setFieldsEdited(false);
      onSaved(saved, pickedDatabase);
    } catch (error) {
      setFeedback({ kind: 'error', text: errorMessage(error) });
    } finally {
      setSaving(false);
    }
  }

  const stored = profile !== null && profile.hasPassword;
  const passwordPlaceholder = forgetPassword
    ? 'The stored password will be forgotten'
    : stored
      ? `Stored (${passwordStateLabel(profile)}): leave empty to keep it`
      : 'No password stored';

  return (
    <form
      className="connection-form"
      data-testid="connection-form"
      onSubmit={(event) => void save(event)}
    >
      <Field label="Name">
        <input
          data-testid="conn-name-input"
          autoFocus
          value={name}
          placeholder="lab server"
          spellCheck={false}
          onChange={(event) => setName(event.target.value)}
        />
      </Field>
      <div className="mode-toggle" role="group" aria-label="Enter the connection as">
        <button
          type="button"
          data-testid="conn-mode-uri"
          aria-pressed={mode === 'uri'}
          className={mode === 'uri' ? 'active' : undefined}
          onClick={() => switchMode('uri')}
        >
          URI
        </button>
        <button
          type="button"
          data-testid="conn-mode-fields"
          aria-pressed={mode === 'fields'}
          className={mode === 'fields' ? 'active' : undefined}
          onClick={() => switchMode('fields')}
        >
          Fields
        </button>
      </div>
      {mode === 'uri' ? (
        <Field label="Connection string">
          <input
            data-testid="conn-uri-input"
            value={uri}
            placeholder="mongodb://user@host:27017/?authSource=admin"
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => {
              setUri(event.target.value);
              setUriEdited(true);
            }}
          />
        </Field>
      ) : (
        <div className="fields-grid">
          {fieldsNote && (
            <div className="notice field-wide">
              These fields do not follow the URI you typed; switch back to URI to use it.
            </div>
          )}
          <Field label="Hosts" hint="host:port, one per line or comma-separated" wide>
            <textarea
              data-testid="conn-hosts-input"
              value={fields.hosts}
              rows={2}
              placeholder="localhost:27017"
              spellCheck={false}
              onChange={(event) => edit('hosts', event.target.value)}
            />
          </Field>
          <label className="checkbox field-wide">
            <input
              type="checkbox"
              data-testid="conn-srv-checkbox"
              checked={fields.srv}
              onChange={(event) => edit('srv', event.target.checked)}
            />{' '}
            SRV record (mongodb+srv://, as for Atlas)
          </label>
          <Field label="User">
            <input
              data-testid="conn-user-input"
              value={fields.user}
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => edit('user', event.target.value)}
            />
          </Field>
          <Field label="Auth database (authSource)">
            <input
              data-testid="conn-authsource-input"
              value={fields.authSource}
              placeholder="admin"
              spellCheck={false}
              onChange={(event) => edit('authSource', event.target.value)}
            />
          </Field>
          <Field label="Replica set">
            <input
              data-testid="conn-replicaset-input"
              value={fields.replicaSet}
              spellCheck={false}
              onChange={(event) => edit('replicaSet', event.target.value)}
            />
          </Field>
          <Field label="Default database">
            <input
              data-testid="conn-database-input"
              value={fields.database}
              placeholder="sacred"
              spellCheck={false}
              onChange={(event) => edit('database', event.target.value)}
            />
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="conn-direct-checkbox"
              checked={fields.directConnection}
              onChange={(event) => edit('directConnection', event.target.checked)}
            />{' '}
            Direct connection
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="conn-tls-checkbox"
              checked={fields.tls}
              onChange={(event) => edit('tls', event.target.checked)}
            />{' '}
            TLS
          </label>
          {fields.tls && (
            <Field label="CA file (optional)" hint="the lab's own CA, PEM" wide>
              <CaFileInput value={fields.tlsCAFile} onChange={(path) => edit('tlsCAFile', path)} />
            </Field>
          )}
          {fields.tls && (
            <label className="checkbox field-wide">
              <input
                type="checkbox"
                data-testid="conn-allow-other-hostnames"
                checked={fields.tlsAllowInvalidHostnames}
                onChange={(event) => edit('tlsAllowInvalidHostnames', event.target.checked)}
              />{' '}
              Accept a certificate issued for another host name
            </label>
          )}
        </div>
      )}
      <Field label="Password">
        <input
          data-testid="conn-password-input"
          type="password"
          value={password}
          placeholder={passwordPlaceholder}
          autoComplete="new-password"
          disabled={forgetPassword}
          onChange={(event) => setPassword(event.target.value)}
        />
      </Field>
      <div className="password-options">
        {stored && (
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="conn-forget-password"
              checked={forgetPassword}
              onChange={(event) => {
                setForgetPassword(event.target.checked);
                if (event.target.checked) setPassword('');
              }}
            />{' '}
            Forget the stored password
          </label>
        )}
        {desktop ? (
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="conn-remember-password"
              checked={remember}
              onChange={(event) => setRemember(event.target.checked)}
            />{' '}
            {rememberPasswordLabel(secretStore)}
          </label>
        ) : (
          <span className="muted">The password is kept in memory until the server stops.</span>
        )}
      </div>
      {test.busy && (
        <div className="busy-line" data-testid="conn-testing">
          <Spinner /> Connecting…
          <button
            type="button"
            className="small"
            data-testid="conn-test-cancel"
            onClick={cancelTest}
          >
            Cancel
          </button>
        </div>
      )}
      {feedback.kind === 'ok' && (
        <div className="form-ok" data-testid="conn-test-result" role="status">
          {feedback.text}
        </div>
      )}
      {feedback.kind === 'ok' && tested !== null && (
        <TestedDatabases list={tested} picked={pickedDatabase} onPick={setPickedDatabase} />
      )}
      {feedback.kind === 'error' && (
        <div className="form-error" data-testid="conn-error" role="alert">
          {feedback.text}
        </div>
      )}
      {feedback.kind === 'note' && (
        <div className="muted busy-line" role="status">
          {feedback.text}
        </div>
      )}
      <div className="form-actions">
        {profile !== null && onCancelEdit !== undefined && (
          <button type="button" onClick={onCancelEdit} disabled={saving}>
            Cancel edit
          </button>
        )}
        <button
          type="button"
          data-testid="conn-test-button"
          onClick={() => void runTest()}
          disabled={test.busy || saving}
        >
          {test.busy ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="primary" data-testid="conn-save-button" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

function Field({
  label,
  hint,
  wide,
  children,
}: {
  label: string;
  hint?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <label className={wide === true ? 'field field-wide' : 'field'}>
      <span>
        {label}
        {hint !== undefined && <em className="muted"> {hint}</em>}
      </span>
      {children}
    </label>
  );
}
