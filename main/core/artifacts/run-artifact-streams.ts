import type { AltarApi } from '../../../shared/contract';
import type { ArtifactStream } from '../core-service';

/**
 * Every readable artifact of one run, in the run's order; null when the run is unknown.
 * Artifacts whose file is missing are left out: a zip of what exists beats no zip.
 */
export async function openRunArtifactStreams(
  core: Pick<AltarApi, 'getRun'> & {
    openArtifact(id: string): Promise<ArtifactStream | null>;
  },
  source: string,
  runId: string,
): Promise<ArtifactStream[] | null> {
  let artifacts;
  try {
    ({ artifacts } = await core.getRun({ source, id: runId }));
  } catch {
    return null;
  }
  const streams: ArtifactStream[] = [];
  for (const artifact of artifacts) {
    if (artifact.size === null) continue;
    const stream = await core.openArtifact(artifact.id).catch(() => null);
    if (stream !== null) streams.push(stream);
  }
  return streams;
}
