import { useState } from 'react';
import type { SendFilePreview as Preview } from '../../../../shared/contract/send-files-methods';
import type { SendFolderListing } from '../../../../shared/contract/send-files-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useLatestAnswer } from '../../hooks/use-latest-answer';
import { baseName } from '../../model/send-folder-paths';
import type { FileRole, SendMappingForm } from '../../model/send-mapping-form';
import { mappingOfForm, roleOfFile, withFileRole } from '../../model/send-mapping-form';
import { formatByteSize } from '../../../../shared/byte-size';
import { SendFilePreview } from './SendFilePreview';
import { SendMetricsOptions } from './SendMetricsOptions';
import { SendRunDocument } from './SendRunDocument';

interface Props {
  source: string;
  folders: readonly string[];
  form: SendMappingForm;
  onForm: (form: SendMappingForm) => void;
}

const roles: { value: FileRole; label: string }[] = [
  { value: 'none', label: '—' },
  { value: 'config', label: 'Config' },
  { value: 'metrics', label: 'Metrics' },
  { value: 'results', label: 'Results' },
  { value: 'artifact', label: 'Artifact' },
  { value: 'raw', label: 'Raw data' },
];

/**
 * Step 2: the first folder's files mapped once for all folders (the same relative names, or
 * globs for names that differ), each mapped file previewed as the send reads it, and the run
 * document the first folder gives.
 */
export function SendMappingStep({ source, folders, form, onForm }: Props) {
  const api = useApi();
  const first = folders[0] ?? '';
  const [shown, setShown] = useState<string | null>(null);
  const listing = useLatestAnswer<SendFolderListing>(first === '' ? null : first, () =>
    api.listSendFolder({ source, path: first, recursive: true }),
  );
  const separator = form.separator === '' ? undefined : form.separator;
  const previewRole = (file: string) => {
    const role = roleOfFile(form, file);
    return role === 'config' || role === 'metrics' || role === 'results' ? role : 'other';
  };
  const shownRole = shown === null ? null : previewRole(shown);
  const header = shownRole === 'config' ? form.configHeader : form.metricsHeader;
  const preview = useLatestAnswer<Preview>(
    shown === null
      ? null
      : JSON.stringify([first, shown, shownRole, separator, header, form.flatten]),
    () =>
      api.previewSendFile({
        source,
        folder: first,
        file: shown ?? '',
        role: shownRole ?? 'other',
        separator,
        header,
        flatten: form.flatten,
      }),
  );
  const metrics = useLatestAnswer<Preview>(
    form.metricsFile === ''
      ? null
      : JSON.stringify([first, form.metricsFile, separator, form.metricsHeader]),
    () =>
      api.previewSendFile({
        source,
        folder: first,
        file: form.metricsFile,
        role: 'metrics',
        separator,
        header: form.metricsHeader,
      }),
  );
  const checked = mappingOfForm(form);

  const setRole = (file: string, role: FileRole): void => {
    onForm(withFileRole(form, file, role));
    setShown(file);
  };

  return (
    <div className="send-step send-mapping-step">
      <p className="muted">
        Map the files of <strong>{baseName(first)}</strong>
        {folders.length > 1 ? ` (the same names are used in all ${folders.length} folders)` : ''}.
      </p>
      <div className="send-mapping-columns">
        <div className="send-mapping-form">
          {listing.state === 'loading' && <p className="muted">Reading the folder…</p>}
          {listing.state === 'error' && (
            <div className="form-error" role="alert">
              {errorMessage(listing.error)}
            </div>
          )}
          {listing.state === 'done' && (
            <table className="send-files-table" data-testid="send-files-table">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Size</th>
                  <th>Is</th>
                </tr>
              </thead>
              <tbody>
                {listing.data.files.map((file) => (
                  <tr
                    key={file.path}
                    data-testid="send-file-row"
                    data-file={file.path}
                    className={shown === file.path ? 'selected' : undefined}
                  >
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        title="Preview this file"
                        onClick={() => setShown(file.path)}
                      >
                        {file.path}
                      </button>
                    </td>
                    <td className="muted">{formatByteSize(file.size)}</td>
                    <td>
                      <select
                        aria-label={`What ${file.path} is`}
                        data-testid="send-file-role"
                        value={roleOfFile(form, file.path)}
                        onChange={(event) => setRole(file.path, event.target.value as FileRole)}
                      >
                        {roles.map((role) => (
                          <option key={role.value} value={role.value}>
                            {role.label}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {listing.state === 'done' && listing.data.truncated && (
            <p className="muted">Only the folder’s own files are listed: it holds too many.</p>
          )}

          <fieldset className="send-options">
            <legend>Config</legend>
            <label className="field">
              <span>
                From the folder name (<code>$var$</code>, <code>$var%N$</code>)
              </span>
              <input
                data-testid="send-config-from-name"
                value={form.configFromName}
                placeholder="$date%10$_$mouse$"
                spellCheck={false}
                onChange={(event) => onForm({ ...form, configFromName: event.target.value })}
              />
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.flatten}
                onChange={(event) => onForm({ ...form, flatten: event.target.checked })}
              />{' '}
              Flatten nested keys (<code>laser_power</code>)
            </label>
            {/\.(csv|xlsx|xlsm)$/iu.test(form.configFile) && (
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.configHeader}
                  onChange={(event) => onForm({ ...form, configHeader: event.target.checked })}
                />{' '}
                The first row is a header
              </label>
            )}
          </fieldset>

          {form.metricsFile !== '' && (
            <SendMetricsOptions form={form} onForm={onForm} preview={metrics} />
          )}

          <fieldset className="send-options">
            <legend>Names that differ per folder</legend>
            <label className="field">
              <span>More artifacts (globs, comma separated)</span>
              <input
                data-testid="send-artifact-globs"
                value={form.artifactGlobs}
                placeholder="*.png, plots/*.pdf"
                spellCheck={false}
                onChange={(event) => onForm({ ...form, artifactGlobs: event.target.value })}
              />
            </label>
            <label className="field">
              <span>More raw data (globs)</span>
              <input
                data-testid="send-raw-globs"
                value={form.rawGlobs}
                placeholder="*.mp4"
                spellCheck={false}
                onChange={(event) => onForm({ ...form, rawGlobs: event.target.value })}
              />
            </label>
          </fieldset>

          {(form.rawFiles.length > 0 || form.rawGlobs.trim() !== '') && (
            <fieldset className="send-options">
              <legend>Raw data goes to</legend>
              <label className="checkbox">
                <input
                  type="radio"
                  name="send-raw-to"
                  checked={form.rawTo === 'local'}
                  onChange={() => onForm({ ...form, rawTo: 'local' })}
                />{' '}
                A local or shared folder
              </label>
              {form.rawTo === 'local' && (
                <input
                  aria-label="Local root folder"
                  data-testid="send-local-root"
                  value={form.localRoot}
                  placeholder="Default: the source’s first local data folder"
                  spellCheck={false}
                  onChange={(event) => onForm({ ...form, localRoot: event.target.value })}
                />
              )}
              <label className="checkbox">
                <input
                  type="radio"
                  name="send-raw-to"
                  checked={form.rawTo === 'minio'}
                  onChange={() => onForm({ ...form, rawTo: 'minio' })}
                />{' '}
                MinIO / S3 (the source’s raw data storage)
              </label>
              {form.rawTo === 'minio' && (
                <input
                  aria-label="Bucket"
                  data-testid="send-bucket"
                  value={form.bucket}
                  placeholder="bucket"
                  spellCheck={false}
                  onChange={(event) => onForm({ ...form, bucket: event.target.value })}
                />
              )}
            </fieldset>
          )}
        </div>

        <div className="send-mapping-previews">
          {shown !== null ? (
            <SendFilePreview file={shown} answer={preview} />
          ) : (
            <p className="muted">Click a file to preview it.</p>
          )}
          {checked.error !== null ? (
            <p className="muted" data-testid="send-mapping-hint">
              {checked.error}
            </p>
          ) : (
            <SendRunDocument source={source} folder={first} mapping={checked.mapping} />
          )}
        </div>
      </div>
    </div>
  );
}
