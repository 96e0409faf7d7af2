import type { ClientApi, Envelope } from '../../../shared/client-api';
import { electronProtocols, rawDataPath } from '../../../shared/client-api';
import type { AltarApi, MethodArgs, MethodName, MethodResult } from '../../../shared/contract';
import type { DesktopMessage, DesktopScreen } from '../../../shared/desktop-messages';
import type { EventName, EventPayload, Unsubscribe } from '../../../shared/events';
import { apiMethodNames } from '../../../shared/api-names';
import { unwrapEnvelope } from './unwrap-envelope';

/** What the preload exposes as `window.altar`: functions only, each resolving to an envelope. */
export type AltarBridge = {
  [M in MethodName]: (args: MethodArgs<M>) => Promise<Envelope<MethodResult<M>>>;
} & {
  on(event: string, listener: (payload: unknown) => void): Unsubscribe;
  /** The path of a file the user picked (absent from older preloads). */
  pathForFile?(file: File): string;
  /** The desktop shell (shared/desktop-messages.ts); absent from older preloads. */
  onDesktopMessage?(listener: (message: DesktopMessage) => void): Unsubscribe;
  desktopReady?(): Promise<unknown>;
  openDroppedFiles?(files: File[]): Promise<unknown>;
  reportScreen?(screen: DesktopScreen): Promise<unknown>;
  /** The desktop's folder picker: the chosen folder, or null (absent from older preloads). */
  pickFolder?(title: string): Promise<string | null>;
};

declare global {
  interface Window {
    altar?: AltarBridge;
  }
}

/** The Electron door: calls go through the preload bridge, artifacts through a custom protocol. */
export function createElectronClient(bridge: AltarBridge): ClientApi {
  const methods = Object.fromEntries(
    apiMethodNames.map((method) => [
      method,
      async (args: unknown) => {
        const invoke = bridge[method] as (a: unknown) => Promise<unknown>;
        return unwrapEnvelope(await invoke(args ?? {}));
      },
    ]),
  ) as unknown as AltarApi;

  return {
    ...methods,
    door: 'electron',
    artifactUrl(id, options) {
      const url = `${electronProtocols.artifact}://a/${encodeURIComponent(id)}`;
      return options?.download === true ? `${url}?download=1` : url;
    },
    artifactZipUrl(source, runId) {
      return `${electronProtocols.artifact}://zip/${encodeURIComponent(source)}/${encodeURIComponent(runId)}`;
    },
    rawDataUrl(ref, options) {
      const url = `${electronProtocols.artifact}://raw/${rawDataPath(ref)}`;
      return options?.download === true ? `${url}?download=1` : url;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
      return bridge.on(event, (payload) => listener(payload as EventPayload<E>));
    },
  };
}
