import type { ErrorPayload } from '../../shared/errors';
import { toErrorPayload } from '../../shared/errors';
import type { ArtifactStream, CoreService } from '../core/core-service';
import { httpStatusFor } from './http-status';

export type ArtifactResolution =
  { ok: true; artifact: ArtifactStream } | { ok: false; status: number; payload: ErrorPayload };

/**
 * The artifact behind a URL-encoded id, or the status and error both doors answer with.
 * A malformed encoding is an unknown id, not a server error.
 */
export async function resolveArtifact(
  core: Pick<CoreService, 'openArtifact'>,
  encodedId: string,
): Promise<ArtifactResolution> {
  let id: string;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    id = '';
  }
  try {
    const artifact = id ? await core.openArtifact(id) : null;
    if (artifact) return { ok: true, artifact };
  } catch (error) {
    const payload = toErrorPayload(error);
    return { ok: false, status: httpStatusFor(payload.code), payload };
  }
  return {
    ok: false,
    status: 404,
    payload: { code: 'NOT_FOUND', message: 'no artifact with this id' },
  };
}
