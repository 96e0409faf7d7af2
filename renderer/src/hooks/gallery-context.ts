import { createContext, useContext } from 'react';

export interface GalleryRequest {
  source: string;
  /** The run the gallery was opened from: shown first. */
  runId: string;
  name: string;
}

/** Opens the artifact gallery above the current view; null where no gallery is offered. */
export const GalleryContext = createContext<((request: GalleryRequest) => void) | null>(null);

export function useShowGallery(): ((request: GalleryRequest) => void) | null {
  return useContext(GalleryContext);
}
