import { useEffect, useMemo, useState } from 'react';
import type { ArtifactRef } from '../../../../shared/contract';
import { errorMessage, useReportError } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { artifactKind, tableDelimiter } from '../../model/artifact-kind';
import { ArtifactFetchError, probeArtifact } from '../../model/artifact-fetch-error';
import { fetchTextPreview } from '../../model/fetch-text-preview';
import type { TextPreview } from '../../model/fetch-text-preview';
import { highlightSource } from '../../model/highlight';
import { ArtifactUnavailable } from './ArtifactUnavailable';
import { CsvArtifact } from './CsvArtifact';
import { PdfPreview } from './PdfPreview';

const TEXT_PREVIEW_BYTES = 1024 * 1024;

/**
 * A preview by kind: images, highlighted text (first MB), tables, media, PDF (drawn by pdf.js)
 * and HTML (in a sandbox without scripts); anything else: a download link only.
 */
export function ArtifactPreview({
  artifact,
  offlineBadge = false,
}: {
  artifact: ArtifactRef;
  /** Badge a cached copy (MongoDB sources; folder artifacts are always on disk). */
  offlineBadge?: boolean;
}) {
  const api = useApi();
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
      <PreviewByKind
        url={api.artifactUrl(artifact.id)}
        name={artifact.name}
        contentType={artifact.contentType}
      />
    </div>
  );
}

/**
 * The preview of one file by its kind, from a URL the page may load (an artifact, or raw data
 * streamed through the app); shared so every file preview behaves the same.
 */
export function PreviewByKind({
  url,
  name,
  contentType,
}: {
  url: string;
  name: string;
  contentType?: string | null;
}) {
  const kind = artifactKind(name, contentType);
  const [imageError, setImageError] = useState<ArtifactFetchError | null>(null);
  useEffect(() => setImageError(null), [url]);
  return (
    <>
      {kind === 'image' &&
        (imageError !== null ? (
          <ArtifactUnavailable error={imageError} />
        ) : (
          <img
            className="artifact-image"
            data-testid="artifact-image"
            src={url}
            alt={name}
            onError={() => {
              void probeArtifact(url).then((error) =>
                setImageError(error ?? new ArtifactFetchError(0, 'The image could not be shown.')),
              );
            }}
          />
        ))}
      {kind === 'text' && <TextArtifact url={url} name={name} />}
      {kind === 'table' && <CsvArtifact url={url} delimiter={tableDelimiter(name, contentType)} />}
      {kind === 'video' && (
        // Range requests let the browser seek without downloading the whole file.
        <video
          className="artifact-media"
          data-testid="artifact-video"
          src={url}
          controls
          preload="metadata"
        />
      )}
      {kind === 'audio' && (
        <audio
          className="artifact-media"
          data-testid="artifact-audio"
          src={url}
          controls
          preload="metadata"
        />
      )}
      {kind === 'pdf' && <PdfPreview url={url} name={name} />}
      {kind === 'html' && (
        // sandbox="" without allow-scripts or allow-same-origin: no script runs, nothing reaches the app.
        <iframe
          className="artifact-html"
          data-testid="artifact-html"
          sandbox=""
          src={url}
          title={name}
          referrerPolicy="no-referrer"
        />
      )}
      {kind === 'other' && (
        <p className="muted">No preview for this kind of file. Download it to open it.</p>
      )}
    </>
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

function TextArtifact({ url, name }: { url: string; name: string }) {
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
      <HighlightedText name={name} text={loaded.data.text} />
    </>
  );
}

function HighlightedText({ name, text }: { name: string; text: string }) {
  const html = useMemo(() => highlightSource(name, text), [name, text]);
  return html === null ? (
    <pre className="code artifact-text">{text}</pre>
  ) : (
    // highlight.js escapes the text and only adds its own <span class="hljs-…"> elements.
    <pre className="code artifact-text hljs" dangerouslySetInnerHTML={{ __html: html }} />
  );
}
