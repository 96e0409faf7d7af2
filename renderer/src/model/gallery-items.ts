import type { ArtifactRef, RunSummary } from '../../../shared/contract';

export const GALLERY_MAX_RUNS = 24;

export interface GalleryItem {
  run: RunSummary;
  artifact: ArtifactRef;
}

/** Runs (the current one first) that stored an artifact of exactly this name, at most 24. */
export function galleryItems(runs: RunSummary[], name: string, firstRunId: string): GalleryItem[] {
  const items: GalleryItem[] = [];
  for (const run of runs) {
    const artifact = run.artifacts.find((a) => a.name === name && a.size !== null);
    if (artifact !== undefined) items.push({ run, artifact });
  }
  items.sort((a, b) => Number(b.run.id === firstRunId) - Number(a.run.id === firstRunId));
  return items.slice(0, GALLERY_MAX_RUNS);
}
