import type { ArtifactFetchError } from '../../model/artifact-fetch-error';

/** Shown in place of a preview that cannot load; says plainly when it is about being offline. */
export function ArtifactUnavailable({ error }: { error: ArtifactFetchError }) {
  if (!error.notAvailableOffline) {
    return (
      <div className="detail-error" role="alert" data-testid="artifact-error">
        {error.message}
      </div>
    );
  }
  return (
    <div className="artifact-unavailable" role="status" data-testid="artifact-unavailable">
      <strong>Not available offline</strong>
      <p>{error.message}</p>
      <p className="muted">
        Its content was never downloaded, and the server cannot be reached now. It opens again once
        the server answers; while online, “Make available offline” keeps a copy on this computer.
      </p>
    </div>
  );
}
