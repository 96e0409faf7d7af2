import type { AltarApi } from './contract';
import type { ErrorPayload } from './errors';
import type { EventSource } from './events';

/**
 * What a call returns across a process boundary: errors lose their class over IPC and HTTP,
 * so both doors send this envelope and the client turns `error` back into an AltarError.
 */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorPayload };

/** The object the renderer talks to, whichever door it sits behind. */
export interface ClientApi extends AltarApi, EventSource {
  readonly door: 'electron' | 'http' | 'direct';
  /** URL the page can load an artifact from (img src, download link). */
  artifactUrl(id: string, options?: { download?: boolean }): string;
  /** URL of a zip of every artifact of a run; optional for older clients. */
  artifactZipUrl?(source: string, runId: string): string;
  /** URL streaming a raw data file of an Altar run through this door; optional for older clients. */
  rawDataUrl?(ref: RawDataRef, options?: { download?: boolean }): string;
}

/** A raw data entry of an Altar run: `info.dataFiles.raw_data.<kind>.<stem>`. */
export interface RawDataRef {
  kind: 'minio' | 'local';
  source: string;
  id: string;
  stem: string;
}

/**
 * The URL-encoded `<kind>/<source>/<runId>/<stem>` both doors serve raw data under:
 * `/raw-data/<path>` over HTTP, `altar-artifact://raw/<path>` in Electron.
 */
export function rawDataPath(ref: RawDataRef): string {
  return [ref.kind, ref.source, ref.id, ref.stem].map((part) => encodeURIComponent(part)).join('/');
}

/** The reverse of rawDataPath; null when the path is not one. */
export function parseRawDataPath(path: string): RawDataRef | null {
  const parts = path.replace(/^\/+/u, '').split('/');
  if (parts.length !== 4) return null;
  let decoded: string[];
  try {
    decoded = parts.map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
  const [kind, source, id, stem] = decoded as [string, string, string, string];
  if (kind !== 'minio' && kind !== 'local') return null;
  if (source === '' || id === '' || stem === '') return null;
  return { kind, source, id, stem };
}

/** The HTTP door's routes; see main/hosts/http-host.ts. */
export const httpRoutes = {
  // POST /api/<method>, body = wire-encoded args, reply = wire-encoded Envelope: 200 for every
  // answer of the core, errors included (folder not found, refused connection, wrong password);
  // 4xx/5xx only for protocol faults (token, arguments outside the contract, a bug).
  api: '/api/',
  events: '/events', // GET, server-sent events: "event: <name>\ndata: <json>"
  artifacts: '/artifacts/', // GET /artifacts/<id>[?download=1], Range supported
  artifactsZip: '/artifacts-zip/', // GET /artifacts-zip/<source>/<runId>: a zip of the run's artifacts
  rawData: '/raw-data/', // GET /raw-data/<kind>/<source>/<runId>/<stem>[?download=1], Range supported
} as const;

/** The Electron door: one invoke channel per method, one channel for all events. */
export const ipcChannels = {
  invoke: (method: string) => `altar:invoke:${method}`,
  event: 'altar:event',
} as const;

/** Custom protocols of the Electron door (never file://). */
export const electronProtocols = {
  app: 'altar-app', // altar-app://ui/index.html serves the built renderer
  artifact: 'altar-artifact', // altar-artifact://a/<id>[?download=1], altar-artifact://zip/<source>/<runId>,
  // altar-artifact://raw/<kind>/<source>/<runId>/<stem>[?download=1]
} as const;

export const TOKEN_COOKIE = 'altar_token';

/** Cookies ignore ports, so two servers on one machine each need their own cookie name. */
export function tokenCookieName(port: number): string {
  return `${TOKEN_COOKIE}_${port}`;
}
