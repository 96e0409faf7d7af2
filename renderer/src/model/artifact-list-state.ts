import type { ArtifactRef } from '../../../shared/contract';
import { artifactKind } from './artifact-kind';

/** A listed artifact whose file is gone (deleted from the run folder, GridFS file missing). */
export function isMissingArtifact(artifact: ArtifactRef): boolean {
  return artifact.size === null;
}

/**
 * The artifact to preview when the tab opens: the first image, else the first text, else the
 * first one, each among those that still have a file so the tab does not open on an error.
 */
export function initialArtifact(artifacts: ArtifactRef[]): ArtifactRef | undefined {
  const present = artifacts.filter((a) => !isMissingArtifact(a));
  const pool = present.length > 0 ? present : artifacts;
  return (
    pool.find((a) => artifactKind(a.name, a.contentType) === 'image') ??
    pool.find((a) => artifactKind(a.name, a.contentType) === 'text') ??
    pool[0]
  );
}

/** The line beside "Make available offline"; missing files can never be, so they do not count. */
export function offlineSummary(artifacts: ArtifactRef[]): string {
  const present = artifacts.filter((a) => !isMissingArtifact(a));
  if (present.length === 0) return 'The files of these artifacts are missing from the database.';
  const cached = present.filter((a) => a.cached === true).length;
  const missing = artifacts.length - present.length;
  const base =
    cached === present.length
      ? present.length === artifacts.length
        ? 'Every artifact of this run is available offline.'
        : `Every stored artifact of this run is available offline.`
      : `${cached} of ${present.length} available offline.`;
  return missing > 0 ? `${base} ${missing} missing from the database.` : base;
}

/** Shown instead of a preview for a listed artifact that has no file. */
export function missingArtifactText(artifact: ArtifactRef): string {
  return `“${artifact.name}” is listed by this run, but its file is missing, so it cannot be shown or downloaded.`;
}
