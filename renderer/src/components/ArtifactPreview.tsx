import type { ArtifactRef } from '../../../shared/contract';
import { errorMessage } from '../hooks/report-error-context';
import { useApi } from '../hooks/use-api';
import { useLoader } from '../hooks/use-loader';
import { artifactKind } from '../model/artifact-kind';
import { fetchTextPreview } from '../model/fetch-text-preview';

const TEXT_PREVIEW_BYTES = 1024 * 1024;

/** Images inline, text-like files as text (first MB), anything else: a download link only. */
export function ArtifactPreview({ artifact }: { artifact: ArtifactRef }) {
  const api = useApi();
  const kind = artifactKind(artifact.name);
  return (
    <div className="artifact-preview">
      <div className="toolbar">
        <strong>{artifact.name}</strong>
        <span className="spacer" />
        <a
          className="button small"
          href={api.artifactUrl(artifact.id, { download: true })}
          download={artifact.name}
        >
          Download
        </a>
      </div>
      {kind === 'image' && (
        <img
          className="artifact-image"
          data-testid="artifact-image"
          src={api.artifactUrl(artifact.id)}
          alt={artifact.name}
        />
      )}
      {kind === 'text' && <TextArtifact url={api.artifactUrl(artifact.id)} />}
      {kind === 'other' && (
        <p className="muted">No preview for this kind of file. Download it to open it.</p>
      )}
    </div>
  );
}

function TextArtifact({ url }: { url: string }) {
  const loaded = useLoader(() => fetchTextPreview(url, TEXT_PREVIEW_BYTES), [url]);
  if (loaded.state === 'loading') return <div className="loading">Loading…</div>;
  if (loaded.state === 'error') {
    return (
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
