import { useEffect, useState } from 'react';
import type { RawDataRow, RunDetail, StorageProfile } from '../../../../shared/contract';
import type { RawDataRef } from '../../../../shared/client-api';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useStorageDialog } from '../../hooks/storage-dialog-context';
import { copyText } from '../../model/clipboard';
import { formatBytes } from '../../model/format';
import {
  RAW_KIND_LABEL,
  acquiredDateTime,
  canOpen,
  linkExpiryText,
  missingLocalText,
  rawRowKey,
  storageNotice,
} from '../../model/raw-data-rows';
import { PreviewByKind } from '../artifacts/ArtifactPreview';
import { Spinner } from '../common/Spinner';
import './raw-data.css';

type Listed = { rows: RawDataRow[]; storage: StorageProfile | null };

type Loaded =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; data: Listed };

type LinkState =
  | { stem: string; state: 'busy' }
  | { stem: string; state: 'done'; url: string; expiresAt: string; copied: boolean }
  | { stem: string; state: 'error'; message: string };

/**
 * The raw data files an Altar run names (SACRED_FORMAT.md §7): MinIO objects fetched with the
 * source's storage profile, and local files looked up in the folders set for it. Both stream
 * through the app, so previews never talk to the storage server from the page.
 */
export function RawDataTab({ run }: { run: RunDetail }) {
  const api = useApi();
  const storageDialog = useStorageDialog();
  const version = storageDialog?.version ?? 0;
  const [reload, setReload] = useState(0);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [previewKey, setPreviewKey] = useState<string | null>(null);
  const [link, setLink] = useState<LinkState | null>(null);

  useEffect(() => {
    let current = true;
    setLoaded((previous) => (previous.state === 'done' ? previous : { state: 'loading' }));
    api.listRawData({ source: run.source, id: run.id }).then(
      (data) => current && setLoaded({ state: 'done', data }),
      (error: unknown) => current && setLoaded({ state: 'error', message: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, run.source, run.id, version, reload]);

  if (loaded.state === 'loading') {
    return (
      <div className="loading">
        <Spinner /> Looking up the raw data…
      </div>
    );
  }
  if (loaded.state === 'error') {
    return (
      <div className="detail-error" role="alert" data-testid="raw-data-error">
        <strong>The raw data list could not be read.</strong> {loaded.message}{' '}
        <button type="button" className="small" onClick={() => setReload((n) => n + 1)}>
          Try again
        </button>
      </div>
    );
  }

  const { rows } = loaded.data;
  if (rows.length === 0) {
    return <p className="muted">This run’s info.dataFiles lists no raw data.</p>;
  }
  const openStorage = storageDialog === null ? null : () => storageDialog.open(run.source);
  const notice = storageNotice(run.source, rows);
  const ref = (row: RawDataRow): RawDataRef => ({
    kind: row.kind,
    source: run.source,
    id: run.id,
    stem: row.stem,
  });
  const previewRow = rows.find((row) => rawRowKey(row) === previewKey && canOpen(row)) ?? null;

  async function copyLink(row: RawDataRow): Promise<void> {
    setLink({ stem: row.stem, state: 'busy' });
    try {
      const made = await api.rawDataLink({ source: run.source, id: run.id, stem: row.stem });
      let copied = true;
      try {
        await copyText(made.url);
      } catch {
        // The link is shown beside the button, to be copied by hand.
        copied = false;
      }
      setLink({ stem: row.stem, state: 'done', url: made.url, expiresAt: made.expiresAt, copied });
    } catch (error) {
      setLink({ stem: row.stem, state: 'error', message: errorMessage(error) });
    }
  }

  return (
    <div className="raw-data-tab stack" data-testid="raw-data">
      <div className="toolbar">
        <span className="muted">
          {rows.length} raw data {rows.length === 1 ? 'file' : 'files'} named by this run
        </span>
        <span className="spacer" />
        {openStorage !== null && (
          <button
            type="button"
            className="small"
            data-testid="raw-storage-button"
            onClick={openStorage}
            title="The MinIO/S3 server and local folders of this source's raw data"
          >
            Storage settings…
          </button>
        )}
        <button type="button" className="small" onClick={() => setReload((n) => n + 1)}>
          Check again
        </button>
      </div>
      {notice !== null && (
        <div className="raw-empty-state" role="status" data-testid="raw-storage-notice">
          <strong>{notice.text}</strong>
          <p className="muted">
            {notice.kind === 'no-profile'
              ? 'The database names the bucket and object of each file, but not the server that holds them or the keys to read it.'
              : 'The profile has an endpoint and access key, but its secret was forgotten or kept only in memory by an earlier session.'}
          </p>
          {openStorage !== null && (
            <button
              type="button"
              className="primary"
              data-testid="raw-storage-set"
              onClick={openStorage}
            >
              {notice.kind === 'no-profile' ? 'Set storage profile…' : 'Enter the secret…'}
            </button>
          )}
        </div>
      )}
      <table className="data-table raw-data-table" data-testid="raw-data-table">
        <thead>
          <tr>
            <th>Kind</th>
            <th>Name</th>
            <th>Type</th>
            <th>Size</th>
            <th>Acquired</th>
            <th>Location</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rawRowKey(row);
            const rowLink = link?.stem === row.stem && row.kind === 'minio' ? link : null;
            return (
              <tr
                key={key}
                data-testid="raw-data-row"
                data-kind={row.kind}
                data-stem={row.stem}
                data-availability={row.availability}
                className={key === previewKey ? 'selected' : undefined}
              >
                <td>
                  <span className={`kind-tag raw-kind-${row.kind}`}>
                    {RAW_KIND_LABEL[row.kind]}
                  </span>
                </td>
                <td>
                  <div>{row.stem}</div>
                  <code className="raw-file-name">{row.fileName}</code>
                </td>
                <td>{row.type ?? ''}</td>
                <td
                  className="numeric raw-nowrap"
                  title={row.sizeBytes === null ? undefined : `about ${formatBytes(row.sizeBytes)}`}
                >
                  {row.size ?? ''}
                </td>
                <td className="raw-nowrap">
                  {row.acquired === null ? (
                    <span className="muted">unknown</span>
                  ) : (
                    <time
                      dateTime={acquiredDateTime(row.acquired)}
                      title="From the stored file name, in the lab's local time (no time zone was recorded, so there is no UTC reading)"
                    >
                      {row.acquired}
                    </time>
                  )}
                </td>
                <td className="raw-location">
                  <RowLocation row={row} />
                </td>
                <td className="raw-actions">
                  {canOpen(row) && (
                    <>
                      <button
                        type="button"
                        className="small"
                        data-testid="raw-preview"
                        aria-pressed={key === previewKey}
                        onClick={() => setPreviewKey(key === previewKey ? null : key)}
                      >
                        {row.kind === 'local' ? 'Open' : 'Preview'}
                      </button>
                      {api.rawDataUrl !== undefined && (
                        <a
                          className="button small"
                          data-testid="raw-download"
                          href={api.rawDataUrl(ref(row), { download: true })}
                          download={row.fileName}
                        >
                          Download
                        </a>
                      )}
                    </>
                  )}
                  {row.kind === 'minio' && row.availability === 'ready' && (
                    <button
                      type="button"
                      className="small"
                      data-testid="raw-copy-link"
                      disabled={rowLink?.state === 'busy'}
                      onClick={() => void copyLink(row)}
                      title="A presigned link to the object on the storage server, valid for a few minutes"
                    >
                      Copy presigned link
                    </button>
                  )}
                  {row.kind === 'local' &&
                    row.availability === 'missing' &&
                    openStorage !== null && (
                      <button
                        type="button"
                        className="small"
                        data-testid="raw-add-root"
                        onClick={openStorage}
                      >
                        Add a local data folder…
                      </button>
                    )}
                  {rowLink !== null && <LinkStatus link={rowLink} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {previewRow !== null && api.rawDataUrl !== undefined && (
        <div className="artifact-preview raw-preview" data-testid="raw-preview-panel">
          <div className="toolbar">
            <strong>{previewRow.fileName}</strong>
            <span className="spacer" />
            <a
              className="button small"
              href={api.rawDataUrl(ref(previewRow), { download: true })}
              download={previewRow.fileName}
            >
              Download
            </a>
            <button
              type="button"
              className="small"
              aria-label="Close the preview"
              onClick={() => setPreviewKey(null)}
            >
              Close
            </button>
          </div>
          <PreviewByKind
            url={api.rawDataUrl(ref(previewRow))}
            name={previewRow.fileName}
            contentType={previewRow.contentType}
          />
        </div>
      )}
    </div>
  );
}

function RowLocation({ row }: { row: RawDataRow }) {
  if (row.kind === 'minio') {
    return row.bucket !== null && row.key !== null ? (
      <code title="bucket/object key">
        {row.bucket}/{row.key}
      </code>
    ) : (
      <code>{row.location ?? ''}</code>
    );
  }
  if (row.availability === 'found') {
    return (
      <>
        <code data-testid="raw-local-path">{row.path}</code>
        {row.location !== null && <div className="muted">stored as {row.location}</div>}
      </>
    );
  }
  return (
    <span className="raw-missing" data-testid="raw-local-missing">
      {missingLocalText(row)}
    </span>
  );
}

function LinkStatus({ link }: { link: LinkState }) {
  if (link.state === 'busy') {
    return (
      <div className="muted">
        <Spinner /> Signing…
      </div>
    );
  }
  if (link.state === 'error') {
    return (
      <div className="field-error" role="alert" data-testid="raw-link-error">
        {link.message}
      </div>
    );
  }
  return (
    <div className="raw-link" role="status" data-testid="raw-link-status">
      <span className="muted">
        {link.copied ? 'Link copied' : 'Copy this link'}, {linkExpiryText(link.expiresAt)}:
      </span>
      <input
        readOnly
        data-testid="raw-link-url"
        value={link.url}
        aria-label="Presigned link"
        onFocus={(event) => event.target.select()}
      />
    </div>
  );
}
