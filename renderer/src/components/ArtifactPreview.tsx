import { useEffect, useState } from 'react';
import type { ArtifactRef } from '../../../shared/contract';
import { errorMessage, useReportError } from '../hooks/report-error-context';
import { useApi } from '../hooks/use-api';
import { artifactKind } from '../model/artifact-kind';
import { ArtifactFetchError, probeArtifact } from '../model/artifact-fetch-error';
import { fetchTextPreview } from '../model/fetch-text-preview';
import type { TextPreview } from '../model/fetch-text-preview';
import { ArtifactUnavailable } from './ArtifactUnavailable';

const TEXT_PREVIEW_BYTES = 1024 * 1024;

/** Images inline, text-like files as text (first MB), anything else: a download link only. */
export function ArtifactPreview({
  artifact,
  offlineBadge = false,
}: {
  artifact: ArtifactRef;
  /** Badge a cached copy (MongoDB sources; folder artifacts are always on disk). */
  offlineBadge?: boolean;
}) {
  const api = useApi();
  const kind = artifactKind(artifact.name);
  const [imageError, setImageError] = useState<ArtifactFetchError | null>(null);
  const url = api.artifactUrl(artifact.id);
  useEffect(() => setImageError(null), [url]);
  return (
    <div className="artifact-preview">
      <div className="toolbar">
        <strong>{artifact.name}</strong>
        {offlineBadge && artifact.cached === true && <OfflineBadge />}
        <span className="spacer" />
        <a
          className="button small"
          href={api.artifactUrl(artifact.id, { download: true })}
          download={artifact.name}
        >
          Download
        </a>
      </div>
      {kind === 'image' &&
        (imageError !== null ? (
          <ArtifactUnavailable error={imageError} />
        ) : (
          <img
            className="artifact-image"
            data-testid="artifact-image"
            src={url}
            alt={artifact.name}
            onError={() => {
              void probeArtifact(url).then((error) =>
                setImageError(error ?? new ArtifactFetchError(0, 'The image could not be shown.')),
              );
            }}
          />
        ))}
      {kind === 'text' && <TextArtifact url={url} />}
      {kind === 'other' && (
        <p className="muted">No preview for this kind of file. Download it to open it.</p>
      )}
    </div>
  );
}

export function OfflineBadge() {
  return (
    <span
      className="badge badge-offline"
      data-testid="artifact-offline-badge"
      title="A copy is kept on this computer: it opens without the server"
    >
      offline
    </span>
  );
}

type TextState =
  { state: 'loading' } | { state: 'done'; data: TextPreview } | { state: 'error'; error: unknown };

function TextArtifact({ url }: { url: string }) {
  const [loaded, setLoaded] = useState<TextState>({ state: 'loading' });
  const reportError = useReportError();
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    fetchTextPreview(url, TEXT_PREVIEW_BYTES).then(
      (data) => current && setLoaded({ state: 'done', data }),
      (error: unknown) => {
        if (!current) return;
        setLoaded({ state: 'error', error });
        // Being offline is said in place of the preview; anything else is also a banner.
        if (!(error instanceof ArtifactFetchError && error.notAvailableOffline)) reportError(error);
      },
    );
    return () => {
      current = false;
    };
  }, [url, reportError]);
  if (loaded.state === 'loading') return <div className="loading">Loading…</div>;
  if (loaded.state === 'error') {
    return loaded.error instanceof ArtifactFetchError ? (
      <ArtifactUnavailable error={loaded.error} />
    ) : (
      <div className="detail-error" role="alert">
        {errorMessage(loaded.error)}
      </div>
    );
  }
  return (
    <>
      {loaded.data.truncated && (
        <div className="notice">Showing the first 1 MB. Download the file to see all of it.</div>
      )}
      <pre className="code artifact-text">{loaded.data.text}</pre>
    </>
  );
}
