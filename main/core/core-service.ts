import type { Readable } from 'node:stream';
import type { RawDataRef } from '../../shared/client-api';
import type { AltarApi } from '../../shared/contract';
import type { EventSource } from '../../shared/events';
import type { SecretStore } from './secrets/secret-store';

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
  /** Every readable artifact of a run (for a zip of them all), or null if the run is unknown. */
  openRunArtifacts(source: string, runId: string): Promise<ArtifactStream[] | null>;
  /**
   * A raw data file of an Altar run (MinIO or local), or null for an unknown entry; throws the
   * contract's errors (no profile, refused credentials, file not found here). Optional so that
   * older hosts and test doubles need not have it.
   */
  openRawData?(ref: RawDataRef): Promise<ArtifactStream | null>;
  close(): Promise<void>;
}

export interface CoreOptions {
  dataDir: string;
  door: 'electron' | 'http' | 'direct';
  /**
   * Background syncs and live refreshes of running runs (main/core/sync/sync-scheduler.ts):
   * on for hosts that run long (the desktop app, `serve`), off for one-shot commands and tests.
   */
  background?: boolean;
  /**
   * With `background`, the run table's first page is loaded right after start (see
   * AltarCore.warmUp). False: the door calls warmUp itself once it has started, so the load
   * (~0.3 s at 2k runs, more at 100k) does not delay `serve` printing its URL.
   */
  warmUpOnStart?: boolean;
  /** Injected so tests can move time (probably-dead rule). */
  now?: () => number;
  /** Password storage; defaults to this process's memory (CLI, browser mode, tests). */
  secrets?: SecretStore;
  /**
   * Asked when a profile needs a password that no store holds: the CLI reads
   * ALTAR_MONGO_PASSWORD or prompts on a TTY. Returns null when there is none to give.
   */
  passwordFallback?: (profile: { id: string; name: string; uri: string }) => Promise<string | null>;
  /**
   * Asked when a source's storage profile needs its S3 secret access key and no store holds it
   * (the CLI reads ALTAR_S3_SECRET or prompts on a TTY). Returns null when there is none.
   */
  storageSecretFallback?: (source: string) => Promise<string | null>;
}
