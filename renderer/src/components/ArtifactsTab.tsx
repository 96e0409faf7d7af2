import { useState } from 'react';
import type { RunDetail } from '../../../shared/contract';
import { artifactKind } from '../model/artifact-kind';
import { formatBytes } from '../model/format';
import { ArtifactPreview } from './ArtifactPreview';

const kindLabel = { image: 'IMG', text: 'TXT', other: 'FILE' } as const;

/** The run's artifacts; the first previewable one is shown right away. */
export function ArtifactsTab({ run }: { run: RunDetail }) {
  const initial =
    run.artifacts.find((a) => artifactKind(a.name) === 'image') ??
    run.artifacts.find((a) => artifactKind(a.name) === 'text') ??
    run.artifacts[0];
  const [selectedId, setSelectedId] = useState<string | null>(initial?.id ?? null);
  if (run.artifacts.length === 0) {
    return (
      <p className="muted">
        This run stored no artifacts (Sacred’s <code>_run.add_artifact</code>).
      </p>
    );
  }
  const selected = run.artifacts.find((a) => a.id === selectedId) ?? null;
  return (
    <div className="artifacts-tab">
      <ul className="artifact-list">
        {run.artifacts.map((artifact) => (
          <li key={artifact.id}>
            <button
              type="button"
              className={`artifact-item${artifact.id === selectedId ? ' selected' : ''}`}
              onClick={() => setSelectedId(artifact.id)}
            >
              <span className="kind-label" aria-hidden="true">
                {kindLabel[artifactKind(artifact.name)]}
              </span>
              <span className="artifact-name">{artifact.name}</span>
              <span className="muted artifact-size">
                {artifact.size === null ? 'missing' : formatBytes(artifact.size)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="artifact-preview-area">
        {selected !== null && <ArtifactPreview artifact={selected} />}
      </div>
    </div>
  );
}
