import type { Envelope } from '../../shared/client-api';
import { ipcChannels } from '../../shared/client-api';
import { methodNames } from '../../shared/contract';
import { eventNames } from '../../shared/events';
import type { Unsubscribe } from '../../shared/events';
import type { CoreService } from '../core/core-service';
import { dispatch, errorEnvelope } from './dispatch';

/** What the host needs from an invoke event; Electron's IpcMainInvokeEvent has all of it. */
export interface IpcEventLike {
  readonly sender?: unknown;
  readonly senderFrame?: { readonly url: string } | null;
}

/** The slice of Electron's ipcMain the host uses, so tests can pass a stand-in. */
export interface IpcMainLike<E = IpcEventLike> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the renderer receives on ipcChannels.event. */
export interface IpcEventMessage {
  name: string;
  payload: unknown;
}

/**
 * The Electron door: one invoke channel per contract method. Every call is checked against the
 * sender first, so a frame that is not our UI (an artifact iframe, a page navigated to by
 * accident) gets FORBIDDEN even though it shares the process. Returns the unregister function.
 */
export function registerIpcHost<E = IpcEventLike>(
  core: CoreService,
  ipc: IpcMainLike<E>,
  isTrustedSender: (event: E) => boolean,
): () => void {
  for (const method of methodNames) {
    ipc.handle(
      ipcChannels.invoke(method),
      async (event: E, ...params: unknown[]): Promise<Envelope<unknown>> => {
        if (!trusted(isTrustedSender, event)) {
          return errorEnvelope('FORBIDDEN', 'this page may not call the Altar API');
        }
        return dispatch(core, method, params[0]);
      },
    );
  }
  return () => {
    for (const method of methodNames) ipc.removeHandler(ipcChannels.invoke(method));
  };
}

function trusted<E>(isTrustedSender: (event: E) => boolean, event: E): boolean {
  try {
    return isTrustedSender(event) === true;
  } catch {
    return false;
  }
}

/** Forwards every core event to the renderer as {name, payload} on ipcChannels.event. */
export function forwardEvents(
  core: CoreService,
  send: (channel: string, message: IpcEventMessage) => void,
): Unsubscribe {
  const unsubscribes = eventNames.map((name) =>
    core.on(name, (payload) => {
      send(ipcChannels.event, { name, payload });
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
