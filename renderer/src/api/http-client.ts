import type { ClientApi } from '../../../shared/client-api';
import { httpRoutes, rawDataPath } from '../../../shared/client-api';
import type { AltarApi } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import type { EventName, EventPayload, Unsubscribe } from '../../../shared/events';
import { decodeWire, encodeWire } from '../../../shared/wire-codec';
import { FRAME_CONTENT_TYPE, decodeWireFrame } from '../../../shared/wire-frame';
import { apiMethodNames } from '../../../shared/api-names';
import { unwrapEnvelope } from './unwrap-envelope';

async function call(method: string, args: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${httpRoutes.api}${method}`, {
      method: 'POST',
      // A reply with a plot's points comes as a binary frame (shared/wire-frame.ts).
      headers: { 'Content-Type': 'application/json', Accept: FRAME_CONTENT_TYPE },
      body: encodeWire(args ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    throw new AltarError(
      'SOURCE_UNAVAILABLE',
      'Cannot reach the Altar Viewer server. Is it still running?',
    );
  }
  let reply: unknown;
  try {
    const framed = response.headers.get('Content-Type')?.startsWith(FRAME_CONTENT_TYPE) === true;
    reply = framed
      ? decodeWireFrame(await response.arrayBuffer())
      : decodeWire(await response.text());
  } catch {
    if (response.status === 401 || response.status === 403) {
      throw new AltarError(
        'UNAUTHORIZED',
        'This page is not authorized: open the link that `altar-viewer serve` printed.',
      );
    }
    throw new AltarError(
      'INTERNAL',
      `The server answered ${response.status} ${response.statusText}.`,
    );
  }
  return unwrapEnvelope(reply);
}

/** The HTTP door: the server set an HttpOnly session cookie when it served this page. */
export function createHttpClient(): ClientApi {
  let events: globalThis.EventSource | null = null;
  const methods = Object.fromEntries(
    apiMethodNames.map((method) => [method, (args: unknown) => call(method, args)]),
  ) as unknown as AltarApi;

  return {
    ...methods,
    door: 'http',
    artifactUrl(id, options) {
      const url = `${httpRoutes.artifacts}${encodeURIComponent(id)}`;
      return options?.download === true ? `${url}?download=1` : url;
    },
    artifactZipUrl(source, runId) {
      return `${httpRoutes.artifactsZip}${encodeURIComponent(source)}/${encodeURIComponent(runId)}`;
    },
    rawDataUrl(ref, options) {
      const url = `${httpRoutes.rawData}${rawDataPath(ref)}`;
      return options?.download === true ? `${url}?download=1` : url;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
      // One connection for all listeners; EventSource reconnects by itself after a drop.
      events ??= new globalThis.EventSource(httpRoutes.events, { withCredentials: true });
      const handler = (message: MessageEvent<string>): void => {
        try {
          listener(JSON.parse(message.data) as EventPayload<E>);
        } catch {
          // A malformed event must not break the page; the next one will refresh the view.
        }
      };
      events.addEventListener(event, handler as EventListener);
      return () => events?.removeEventListener(event, handler as EventListener);
    },
  };
}
