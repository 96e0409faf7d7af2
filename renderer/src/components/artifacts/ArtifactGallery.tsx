import { useApi } from '../../hooks/use-api';
import { fetchTextPreview } from '../../model/fetch-text-preview';
import { useLoader } from '../../hooks/use-loader';

import { artifactKind } from '../../model/artifact-kind';
import { GALLERY_MAX_RUNS, galleryItems } from '../../model/gallery-items';
import type { GalleryItem } from '../../model/gallery-items';
import { errorMessage } from '../../hooks/report-error-context';

/** How many runs of the source are looked through for the artifact name. */
const RUNS_SCANNED = 2000;

/** The same artifact name across the runs of one source, side by side. */
export function ArtifactGallery({
  name,
  source,
  runId,
  onBack,
}: {
  name: string;
  source: string;
  runId: string;
  onBack: () => void;
}) {
  const api = useApi();
  const loaded = useLoader(() => api.listRuns({ source, limit: RUNS_SCANNED }), [api, source]);
  const kind = artifactKind(name);
  return (
    <div className="artifact-gallery" data-testid="artifact-gallery">
      <div className="toolbar">
        <button type="button" className="small" onClick={onBack}>
          ← Back
        </button>
        <strong>{name}</strong>
        <span className="muted">across runs of {source}</span>
      </div>
      {loaded.state === 'loading' && <div className="loading">Loading…</div>}
      {loaded.state === 'error' && (
        <div className="detail-error" role="alert">
          {errorMessage(loaded.error)}
        </div>
      )}
      {loaded.state === 'done' && (
        <GalleryGrid items={galleryItems(loaded.data.runs, name, runId)} kind={kind} />
      )}
    </div>
  );
}

function GalleryGrid({
  items,
  kind,
}: {
  items: GalleryItem[];
  kind: ReturnType<typeof artifactKind>;
}) {
  const api = useApi();
  if (items.length === 0) return <p className="muted">No run has an artifact of this name.</p>;
  return (
    <>
      {items.length === GALLERY_MAX_RUNS && (
        <div className="notice">Showing the first {GALLERY_MAX_RUNS} runs with this artifact.</div>
      )}
      <div className="gallery-grid">
        {items.map(({ run, artifact }) => (
          <figure key={run.id} className="gallery-item" data-testid="gallery-item">
            {kind === 'image' ? (
              <img
                className="gallery-image"
                data-testid="gallery-image"
                src={api.artifactUrl(artifact.id)}
                alt={`${artifact.name} of run ${run.id}`}
                loading="lazy"
              />
            ) : kind === 'text' || kind === 'table' ? (
              <TextSnippet url={api.artifactUrl(artifact.id)} />
            ) : (
              <a href={api.artifactUrl(artifact.id)} target="_blank" rel="noopener noreferrer">
                Open
              </a>
            )}
            <figcaption>
              Run {run.id}
              {run.experiment !== null && <span className="muted"> · {run.experiment}</span>}
            </figcaption>
          </figure>
        ))}
      </div>
    </>
  );
}

const SNIPPET_BYTES = 2048;

function TextSnippet({ url }: { url: string }) {
  const loaded = useLoader(() => fetchTextPreview(url, SNIPPET_BYTES), [url]);
  if (loaded.state === 'loading') return <div className="loading">Loading…</div>;
  if (loaded.state === 'error') return <p className="muted">{errorMessage(loaded.error)}</p>;
  return (
    <pre className="code gallery-text" data-testid="gallery-text">
      {loaded.data.text}
      {loaded.data.truncated ? '\n…' : ''}
    </pre>
  );
}
