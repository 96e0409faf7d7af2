import { useEffect, useState } from 'react';
import type { ArtifactRef, RunDetail } from '../../../../shared/contract';
import { useShowGallery } from '../../hooks/gallery-context';
import { useApi } from '../../hooks/use-api';
import { useArtifactDownload } from '../../hooks/use-artifact-download';
import { useLoader } from '../../hooks/use-loader';
import { artifactKind } from '../../model/artifact-kind';
import {
  initialArtifact,
  isMissingArtifact,
  missingArtifactText,
  offlineSummary,
} from '../../model/artifact-list-state';
import { formatBytes } from '../../model/format';
import { ArtifactDownloadStatus } from './ArtifactDownloadStatus';
import { ArtifactPreview, OfflineBadge } from './ArtifactPreview';

const kindLabel = {
  image: 'IMG',
  text: 'TXT',
  table: 'CSV',
  video: 'VID',
  audio: 'AUD',
  pdf: 'PDF',
  html: 'HTML',
  other: 'FILE',
} as const;

/** The run's artifacts; the first previewable one is shown right away. */
export function ArtifactsTab({ run }: { run: RunDetail }) {
  const api = useApi();
  const [artifacts, setArtifacts] = useState<ArtifactRef[]>(run.artifacts);
  useEffect(() => setArtifacts(run.artifacts), [run.artifacts]);
  const initial = initialArtifact(run.artifacts);
  const [selectedId, setSelectedId] = useState<string | null>(initial?.id ?? null);
  const sources = useLoader(() => api.listSources({}), [api, run.source]);
  const mongo =
    sources.state === 'done' &&
    sources.data.find((source) => source.name === run.source)?.kind === 'mongo';
  const download = useArtifactDownload(run.source);
  const showGallery = useShowGallery();

  async function makeOffline(): Promise<void> {
    const summary = await download.start([run.id]);
    if (summary === null) return;
    // The flags come from the cache index: ask again rather than guess.
    const fresh = await api.getRun({ source: run.source, id: run.id }).catch(() => null);
    if (fresh !== null) setArtifacts(fresh.artifacts);
  }

  if (artifacts.length === 0) {
    return (
      <p className="muted">
        This run stored no artifacts (Sacred’s <code>_run.add_artifact</code>).
      </p>
    );
  }
  const selected = artifacts.find((a) => a.id === selectedId) ?? null;
  return (
    <div className="artifacts-panel">
      <div className="toolbar artifacts-run-bar">
        {api.artifactZipUrl !== undefined && (
          <a
            className="button small"
            data-testid="artifacts-zip"
            href={api.artifactZipUrl(run.source, run.id)}
            download={`${run.source}-${run.id}-artifacts.zip`}
            title="Every artifact of this run in one zip file"
          >
            Download all (zip)
          </a>
        )}
        {showGallery !== null && selected !== null && (
          <button
            type="button"
            className="small"
            data-testid="artifact-gallery-button"
            onClick={() => showGallery({ source: run.source, runId: run.id, name: selected.name })}
            title="The artifact of the same name in the other runs of this source, side by side"
          >
            Show this artifact for other runs
          </button>
        )}
      </div>
      {mongo && (
        <div className="artifacts-offline-bar">
          <button
            type="button"
            className="small"
            data-testid="artifacts-offline-button"
            disabled={download.busy}
            onClick={() => void makeOffline()}
            title="Download every artifact of this run into the local cache, to view them without the server"
          >
            {download.busy ? 'Downloading…' : 'Make available offline'}
          </button>
          {!download.busy && download.summary === null && download.error === null && (
            <span className="muted">{offlineSummary(artifacts)}</span>
          )}
          <ArtifactDownloadStatus download={download} />
        </div>
      )}
      <div className="artifacts-tab">
        <ul className="artifact-list">
          {artifacts.map((artifact) => (
            <li key={artifact.id}>
              <button
                type="button"
                className={`artifact-item${artifact.id === selectedId ? ' selected' : ''}`}
                data-testid="artifact-item"
                data-cached={artifact.cached === true ? 'true' : 'false'}
                onClick={() => setSelectedId(artifact.id)}
              >
                <span className="kind-label" aria-hidden="true">
                  {kindLabel[artifactKind(artifact.name, artifact.contentType)]}
                </span>
                <span className="artifact-name-row">
                  <span className="artifact-name">{artifact.name}</span>
                  {mongo && artifact.cached === true && <OfflineBadge />}
                </span>
                <span className="muted artifact-size">
                  {artifact.size === null ? 'missing' : formatBytes(artifact.size)}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <div className="artifact-preview-area">
          {selected !== null && isMissingArtifact(selected) && (
            <p className="muted" data-testid="artifact-missing">
              {missingArtifactText(selected)}
            </p>
          )}
          {selected !== null && !isMissingArtifact(selected) && (
            <ArtifactPreview artifact={selected} offlineBadge={mongo} />
          )}
        </div>
      </div>
    </div>
  );
}
