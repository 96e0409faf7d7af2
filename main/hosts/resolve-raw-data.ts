import { parseRawDataPath } from '../../shared/client-api';
import { toErrorPayload } from '../../shared/errors';
import type { CoreService } from '../core/core-service';
import { httpStatusFor } from './http-status';
import type { ArtifactResolution } from './resolve-artifact';

/**
 * The raw data file behind `<kind>/<source>/<runId>/<stem>` (URL-encoded segments), or the
 * status and error both doors answer with: a missing profile, refused credentials or a file
 * not found on this computer keep their contract codes so the UI can say which.
 */
export async function resolveRawData(
  core: Pick<CoreService, 'openRawData'>,
  encodedPath: string,
): Promise<ArtifactResolution> {
  const ref = parseRawDataPath(encodedPath);
  const notFound: ArtifactResolution = {
    ok: false,
    status: 404,
    payload: { code: 'NOT_FOUND', message: 'no raw data at this address' },
  };
  if (ref === null || core.openRawData === undefined) return notFound;
  try {
    const artifact = await core.openRawData(ref);
    return artifact === null ? notFound : { ok: true, artifact };
  } catch (error) {
    const payload = toErrorPayload(error);
    return { ok: false, status: httpStatusFor(payload.code), payload };
  }
}
