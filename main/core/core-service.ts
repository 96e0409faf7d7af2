import type { Readable } from 'node:stream';
import type { AltarApi } from '../../shared/contract';
import type { EventSource } from '../../shared/events';

export interface ArtifactStream {
  name: string;
  size: number;
  contentType: string;
  open(range?: { start: number; end: number }): Readable;
}

/** The core as every host sees it: the contract, its events, and what is not JSON. */
export interface CoreService extends AltarApi, EventSource {
  /** Resolves an opaque artifact id (from ArtifactRef.id) to a stream, or null if unknown. */
  openArtifact(id: string): Promise<ArtifactStream | null>;
  close(): Promise<void>;
}

export interface CoreOptions {
  dataDir: string;
  door: 'electron' | 'http' | 'direct';
  /** Injected so tests can move time (probably-dead rule). */
  now?: () => number;
}
