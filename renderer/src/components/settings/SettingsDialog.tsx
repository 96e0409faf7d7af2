import { useEffect, useState } from 'react';
import type { ArtifactCacheInfo, SecretStoreStatus, Settings } from '../../../../shared/contract';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { formatMebibytes } from '../../model/mebibytes';
import { offersWeakKeystoreChoice } from '../../model/secret-store-notice';
import { MIN_CACHE_MIB, readSettingsForm, toFormValues } from '../../model/settings-form';
import type { SettingsFormValues } from '../../model/settings-form';
import { Modal } from '../common/Modal';

type Loaded = {
  settings: Settings;
  cache: ArtifactCacheInfo;
  secretStore: SecretStoreStatus | undefined;
};

/** Settings: the artifact cache (size, usage, clear, where it lives) and the sync intervals. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [values, setValues] = useState<SettingsFormValues | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof SettingsFormValues, string>>>(
    {},
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'clear' | null>(null);
  const [cleared, setCleared] = useState(false);
  const [rememberWeak, setRememberWeak] = useState(false);

  useEffect(() => {
    let current = true;
    Promise.all([api.getSettings({}), api.getArtifactCacheInfo({}), api.getAppInfo({})]).then(
      ([settings, cache, info]) => {
        if (!current) return;
        setLoaded({ settings, cache, secretStore: info.secretStoreStatus });
        setValues(toFormValues(settings));
        setRememberWeak(settings.rememberPasswordsOnWeakKeystore);
      },
      (caught: unknown) => current && setError(errorMessage(caught)),
    );
    return () => {
      current = false;
    };
  }, [api]);

  async function save(): Promise<void> {
    if (loaded === null || values === null) return;
    const read = readSettingsForm(values, loaded.settings);
    if (!read.ok) {
      setFieldErrors(read.errors);
      return;
    }
    setFieldErrors({});
    setBusy('save');
    setError(null);
    try {
      const weakChanged = rememberWeak !== loaded.settings.rememberPasswordsOnWeakKeystore;
      await api.updateSettings({
        ...read.update,
        ...(weakChanged ? { rememberPasswordsOnWeakKeystore: rememberWeak } : {}),
      });
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(null);
    }
  }

  async function clear(): Promise<void> {
    setBusy('clear');
    setError(null);
    try {
      const cache = await api.clearArtifactCache({});
      setLoaded((current) => (current === null ? null : { ...current, cache }));
      setCleared(true);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(null);
    }
  }

  const field = (
    key: keyof SettingsFormValues,
    label: string,
    hint: string,
    testId: string,
    min: number,
  ) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        min={min}
        step={1}
        inputMode="numeric"
        data-testid={testId}
        value={values?.[key] ?? ''}
        aria-invalid={fieldErrors[key] !== undefined}
        onChange={(event) =>
          setValues((current) =>
            current === null ? null : { ...current, [key]: event.target.value },
          )
        }
      />
      <em className={fieldErrors[key] === undefined ? 'muted' : 'field-error'}>
        {fieldErrors[key] ?? hint}
      </em>
    </label>
  );

  return (
    <Modal
      titleId="settings-title"
      onClose={onClose}
      testId="settings-dialog"
      closeOnBackdrop={false}
    >
      <h2 id="settings-title">Settings</h2>
      {loaded === null || values === null ? (
        error === null ? (
          <div className="loading">Loading…</div>
        ) : (
          <div className="detail-error" role="alert">
            {error}
          </div>
        )
      ) : (
        <form
          className="settings-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <fieldset>
            <legend>Artifact cache</legend>
            <p className="muted">
              Contents of MongoDB artifacts you viewed or made available offline are kept on this
              computer; the least recently used go first when the cache is full.
            </p>
            {field(
              'cacheMiB',
              'Size limit (MiB)',
              `At least ${MIN_CACHE_MIB} MiB; 2048 MiB is 2 GiB.`,
              'settings-cache-mib',
              MIN_CACHE_MIB,
            )}
            <div className="settings-cache-usage">
              <span data-testid="artifact-cache-usage">
                {formatMebibytes(loaded.cache.bytes)} of {formatMebibytes(loaded.cache.capBytes)}{' '}
                used · {loaded.cache.files} {loaded.cache.files === 1 ? 'file' : 'files'}
              </span>
              <button
                type="button"
                className="small"
                data-testid="artifact-cache-clear"
                disabled={busy !== null || loaded.cache.files === 0}
                onClick={() => void clear()}
                title="Delete every cached artifact file; they download again when viewed online"
              >
                {busy === 'clear' ? 'Clearing…' : 'Clear'}
              </button>
              {cleared && <span className="muted">Cleared.</span>}
            </div>
            <dl className="settings-paths">
              <dt>Cached artifacts</dt>
              <dd>
                <code data-testid="settings-artifact-dir">{loaded.cache.directory}</code>
              </dd>
              <dt>Cache file</dt>
              <dd>
                <code data-testid="settings-cache-file">{loaded.cache.cacheFile}</code>
              </dd>
            </dl>
          </fieldset>
          <fieldset>
            <legend>Syncing</legend>
            {field(
              'backgroundSyncMinutes',
              'Background sync every (minutes)',
              '0 turns background syncs off.',
              'settings-sync-minutes',
              0,
            )}
            {field(
              'liveRefreshSeconds',
              'Refresh running runs every (seconds)',
              'While the server answers.',
              'settings-refresh-seconds',
              1,
            )}
          </fieldset>
          {offersWeakKeystoreChoice(loaded.secretStore) && (
            <fieldset>
              <legend>Passwords</legend>
              <p className="muted">
                No keyring (such as gnome-keyring or KWallet) was found, so passwords can only be
                stored with a fixed key that anyone who can read your files can undo. Without this
                option they are kept in memory until Altar Viewer closes.
              </p>
              <label className="checkbox">
                <input
                  type="checkbox"
                  data-testid="settings-remember-weak-keystore"
                  checked={rememberWeak}
                  onChange={(event) => setRememberWeak(event.target.checked)}
                />{' '}
                Remember passwords without a keyring
              </label>
            </fieldset>
          )}
          {error !== null && (
            <div className="detail-error" role="alert">
              {error}
            </div>
          )}
          <div className="form-actions">
            <button type="button" onClick={onClose} disabled={busy === 'save'}>
              Cancel
            </button>
            <button
              type="submit"
              className="primary"
              data-testid="settings-save"
              disabled={busy !== null}
            >
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
