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
}

/** The HTTP door's routes; see main/hosts/http-host.ts. */
export const httpRoutes = {
  api: '/api/', // POST /api/<method>, body = wire-encoded args, reply = wire-encoded Envelope
  events: '/events', // GET, server-sent events: "event: <name>\ndata: <json>"
  artifacts: '/artifacts/', // GET /artifacts/<id>[?download=1], Range supported
  artifactsZip: '/artifacts-zip/', // GET /artifacts-zip/<source>/<runId>: a zip of the run's artifacts
} as const;

/** The Electron door: one invoke channel per method, one channel for all events. */
export const ipcChannels = {
  invoke: (method: string) => `altar:invoke:${method}`,
  event: 'altar:event',
} as const;

/** Custom protocols of the Electron door (never file://). */
export const electronProtocols = {
  app: 'altar-app', // altar-app://ui/index.html serves the built renderer
  artifact: 'altar-artifact', // altar-artifact://a/<id>[?download=1], altar-artifact://zip/<source>/<runId>
} as const;

export const TOKEN_COOKIE = 'altar_token';

/** Cookies ignore ports, so two servers on one machine each need their own cookie name. */
export function tokenCookieName(port: number): string {
  return `${TOKEN_COOKIE}_${port}`;
}
