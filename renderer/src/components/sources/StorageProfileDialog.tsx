import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { StorageProfile } from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useSecretStoreStatus } from '../../hooks/use-secret-store-status';
import { desktopSecretPlace } from '../../model/secret-store-notice';
import { useCancellableOperation } from '../../hooks/use-cancellable-operation';
import {
  formatStorageTest,
  readStorageSave,
  readStorageTest,
  secretPlaceholder,
  toStorageFormValues,
} from '../../model/storage-profile-form';
import type {
  StorageFormErrors,
  StorageFormField,
  StorageFormValues,
} from '../../model/storage-profile-form';
import { Modal } from '../common/Modal';
import { Spinner } from '../common/Spinner';
import '../run-detail/raw-data.css';

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'done'; profile: StorageProfile | null };

type Feedback = { kind: 'none' } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

/**
 * Where a MongoDB source's raw data lives: the S3/MinIO endpoint and keys (the secret goes to
 * the core's secret store and never comes back), and folders on this computer that hold the
 * lab's local files. Enter saves, Esc closes; a rejected save keeps everything typed.
 */
export function StorageProfileDialog({
  source,
  onClose,
  onChanged,
}: {
  source: string;
  onClose: () => void;
  /** After a save (the new profile) or a removal (null). */
  onChanged?: (profile: StorageProfile | null) => void;
}) {
  const api = useApi();
  const desktop = api.door === 'electron';
  const secretStore = useSecretStoreStatus();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [values, setValues] = useState<StorageFormValues | null>(null);
  const [errors, setErrors] = useState<StorageFormErrors>({});
  const [feedback, setFeedback] = useState<Feedback>({ kind: 'none' });
  const [saving, setSaving] = useState(false);
  const test = useCancellableOperation();

  useEffect(() => {
    let current = true;
    api.getStorageProfile({ source }).then(
      (profile) => {
        if (!current) return;
        setLoaded({ state: 'done', profile });
        setValues(toStorageFormValues(profile));
      },
      (error: unknown) => current && setLoaded({ state: 'error', message: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, source]);

  const profile = loaded.state === 'done' ? loaded.profile : null;

  function edit<K extends keyof StorageFormValues>(key: K, value: StorageFormValues[K]): void {
    setValues((current) => (current === null ? null : { ...current, [key]: value }));
    // A field's message goes once it is edited; the others stay until the next check.
    const field: StorageFormField | null =
      key === 'forgetSecret' ? 'secret' : key === 'pathStyle' ? null : (key as StorageFormField);
    setErrors((current) => {
      if (field === null || current[field] === undefined) return current;
      const { [field]: _dropped, ...rest } = current;
      return rest;
    });
  }

  function editRoot(index: number, text: string): void {
    if (values === null) return;
    edit(
      'localRoots',
      values.localRoots.map((root, i) => (i === index ? text : root)),
    );
  }

  async function runTest(): Promise<void> {
    if (values === null) return;
    const read = readStorageTest(values);
    if (!read.ok) {
      setErrors(read.errors);
      setFeedback({ kind: 'none' });
      return;
    }
    setFeedback({ kind: 'none' });
    const outcome = await test.run(() => api.testStorageProfile({ source, ...read.args }));
    if (outcome.status === 'done') {
      setFeedback({ kind: 'ok', text: formatStorageTest(outcome.value) });
    } else if (outcome.status === 'failed') {
      setFeedback({ kind: 'error', text: errorMessage(outcome.error) });
    }
  }

  async function save(): Promise<void> {
    if (values === null || saving) return;
    const read = readStorageSave(values);
    if (!read.ok) {
      setErrors(read.errors);
      setFeedback({
        kind: 'error',
        text: 'Some fields need a fix before saving (see below them).',
      });
      return;
    }
    test.cancel();
    setErrors({});
    setFeedback({ kind: 'none' });
    setSaving(true);
    try {
      const saved = await api.saveStorageProfile({ source, ...read.args });
      setLoaded({ state: 'done', profile: saved });
      onChanged?.(saved);
      onClose();
    } catch (error) {
      // Everything typed stays in the form, so fixing the one wrong field is enough.
      setFeedback({ kind: 'error', text: errorMessage(error) });
      setSaving(false);
    }
  }

  async function remove(): Promise<void> {
    if (saving) return;
    const forget = `Remove the storage profile of “${source}”? Its secret key is forgotten too.`;
    if (!window.confirm(forget)) return;
    test.cancel();
    setSaving(true);
    try {
      await api.removeStorageProfile({ source });
      onChanged?.(null);
      onClose();
    } catch (error) {
      setFeedback({ kind: 'error', text: errorMessage(error) });
      setSaving(false);
    }
  }

  return (
    <Modal
      titleId="storage-dialog-title"
      onClose={onClose}
      className="storage-dialog"
      testId="storage-dialog"
      closeOnBackdrop={false}
    >
      <div className="dialog-title-row">
        <h2 id="storage-dialog-title">Raw data storage for “{source}”</h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close"
          data-testid="storage-dialog-close"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {loaded.state === 'loading' && (
        <div className="busy-line muted">
          <Spinner /> Loading the storage profile…
        </div>
      )}
      {loaded.state === 'error' && (
        <div className="form-error" role="alert" data-testid="storage-load-error">
          {loaded.message}
        </div>
      )}
      {values !== null && (
        <form
          className="storage-form"
          data-testid="storage-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <p className="muted">
            Altar runs name their raw data files but not the server that holds them. Set the
            MinIO/S3 server of this database to preview and download them here.
          </p>
          <fieldset>
            <legend>MinIO / S3 server</legend>
            <div className="storage-grid">
              <Field label="Endpoint" error={errors.endpoint} hint="https:// for TLS" wide>
                <input
                  autoFocus
                  data-testid="storage-endpoint"
                  value={values.endpoint}
                  placeholder="https://minio.lab:9000"
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={errors.endpoint !== undefined}
                  onChange={(event) => edit('endpoint', event.target.value)}
                />
              </Field>
              <Field label="Region" error={errors.region}>
                <input
                  data-testid="storage-region"
                  value={values.region}
                  placeholder="us-east-1"
                  spellCheck={false}
                  aria-invalid={errors.region !== undefined}
                  onChange={(event) => edit('region', event.target.value)}
                />
              </Field>
              <label className="checkbox storage-path-style">
                <input
                  type="checkbox"
                  data-testid="storage-path-style"
                  checked={values.pathStyle}
                  onChange={(event) => edit('pathStyle', event.target.checked)}
                />{' '}
                Path-style addressing (MinIO)
              </label>
              <Field label="Access key id" error={errors.accessKeyId}>
                <input
                  data-testid="storage-access-key"
                  value={values.accessKeyId}
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={errors.accessKeyId !== undefined}
                  onChange={(event) => edit('accessKeyId', event.target.value)}
                />
              </Field>
              <Field label="Secret access key" error={errors.secret}>
                <input
                  type="password"
                  data-testid="storage-secret"
                  value={values.secret}
                  placeholder={secretPlaceholder(profile, values.forgetSecret)}
                  autoComplete="new-password"
                  disabled={values.forgetSecret}
                  aria-invalid={errors.secret !== undefined}
                  onChange={(event) => edit('secret', event.target.value)}
                />
              </Field>
              <div className="storage-secret-state field-wide">
                {profile?.hasSecret === true ? (
                  <>
                    <span className="badge" data-testid="storage-secret-saved">
                      saved
                    </span>{' '}
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        data-testid="storage-forget-secret"
                        checked={values.forgetSecret}
                        onChange={(event) => {
                          edit('forgetSecret', event.target.checked);
                          if (event.target.checked) edit('secret', '');
                        }}
                      />{' '}
                      Forget the saved secret
                    </label>
                  </>
                ) : (
                  <span className="muted" data-testid="storage-secret-none">
                    No secret saved.
                  </span>
                )}{' '}
                <span className="muted">
                  {desktop
                    ? desktopSecretPlace(secretStore)
                    : 'Kept in memory until the server stops.'}
                </span>
              </div>
            </div>
          </fieldset>
          <fieldset>
            <legend>Local data folders</legend>
            <p className="muted">
              Folders on this computer where the lab’s local raw data files may be (a copy or a
              mounted share); a file is looked for in them and their subfolders.
            </p>
            <ul className="storage-roots" data-testid="storage-roots">
              {values.localRoots.map((root, index) => (
                <li key={index}>
                  <input
                    data-testid="storage-root-input"
                    value={root}
                    placeholder="/mnt/lab-data"
                    spellCheck={false}
                    aria-label={`Local data folder ${index + 1}`}
                    aria-invalid={errors.localRoots !== undefined}
                    onChange={(event) => editRoot(index, event.target.value)}
                  />
                  <button
                    type="button"
                    className="small"
                    data-testid="storage-root-remove"
                    aria-label={`Remove folder ${index + 1}`}
                    onClick={() =>
                      edit(
                        'localRoots',
                        values.localRoots.filter((_root, i) => i !== index),
                      )
                    }
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
            {errors.localRoots !== undefined && (
              <em className="field-error" data-testid="storage-roots-error">
                {errors.localRoots}
              </em>
            )}
            <button
              type="button"
              className="small"
              data-testid="storage-root-add"
              onClick={() => edit('localRoots', [...values.localRoots, ''])}
            >
              Add a folder
            </button>
          </fieldset>
          {test.busy && (
            <div className="busy-line" data-testid="storage-testing">
              <Spinner /> Asking the storage server…
              <button type="button" className="small" onClick={() => test.cancel()}>
                Cancel
              </button>
            </div>
          )}
          {feedback.kind === 'ok' && (
            <div className="form-ok" role="status" data-testid="storage-test-result">
              {feedback.text}
            </div>
          )}
          {feedback.kind === 'error' && (
            <div className="form-error" role="alert" data-testid="storage-error">
              {feedback.text}
            </div>
          )}
          <div className="form-actions">
            {profile !== null && (
              <button
                type="button"
                className="danger"
                data-testid="storage-remove-button"
                disabled={saving}
                onClick={() => void remove()}
              >
                Remove profile
              </button>
            )}
            <button type="button" onClick={onClose} disabled={saving}>
              Cancel
            </button>
            <button
              type="button"
              data-testid="storage-test-button"
              disabled={test.busy || saving}
              onClick={() => void runTest()}
            >
              {test.busy ? 'Testing…' : 'Test'}
            </button>
            <button
              type="submit"
              className="primary"
              data-testid="storage-save-button"
              disabled={saving}
            >
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}

function Field({
  label,
  hint,
  error,
  wide,
  children,
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
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
      {error !== undefined && <em className="field-error">{error}</em>}
    </label>
  );
}
