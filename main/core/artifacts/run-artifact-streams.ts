import { Readable } from 'node:stream';
import type { AltarApi } from '../../../shared/contract';
import { isAltarError } from '../../../shared/errors';
import type { ArtifactStream } from '../core-service';

/** The zip entry listing the artifacts that were refused, and why. */
export const NOT_INCLUDED_NAME = 'NOT-INCLUDED.txt';

/**
 * Every readable artifact of one run, in the run's order; null when the run is unknown.
 * Artifacts whose file is missing are left out: a zip of what exists beats no zip. Artifacts
 * the core refuses to read (a link outside the source's folders, a FIFO) are left out too, and
 * a last text entry says which and why, so the zip's user is not left guessing.
 */
export async function openRunArtifactStreams(
  core: Pick<AltarApi, 'getRun'> & {
    openArtifact(id: string): Promise<ArtifactStream | null>;
  },
  source: string,
  runId: string,
): Promise<ArtifactStream[] | null> {
  let artifacts;
  let warnings: string[];
  try {
    ({ artifacts, warnings } = await core.getRun({ source, id: runId }));
  } catch {
    return null;
  }
  const streams: ArtifactStream[] = [];
  const refused: string[] = [];
  for (const artifact of artifacts) {
    if (artifact.size === null) {
      // Not read at sync: missing, or refused (the run's warnings say why).
      const why = warnings.find((line) => line.startsWith(`artifact "${artifact.name}" `));
      if (why !== undefined && !/is missing/u.test(why)) refused.push(why);
      continue;
    }
    const stream = await core.openArtifact(artifact.id).catch((error: unknown) => {
      if (isAltarError(error) && error.code === 'FORBIDDEN') refused.push(error.message);
      return null;
    });
    if (stream !== null) streams.push(stream);
  }
  if (refused.length > 0) streams.push(textEntry(NOT_INCLUDED_NAME, `${refused.join('\n')}\n`));
  return streams;
}

function textEntry(name: string, text: string): ArtifactStream {
  const bytes = Buffer.from(text, 'utf8');
  return {
    name,
    size: bytes.byteLength,
    contentType: 'text/plain; charset=utf-8',
    open: (range) =>
      Readable.from([bytes.subarray(range?.start ?? 0, (range?.end ?? bytes.byteLength - 1) + 1)]),
  };
}
