import type { ClientApi } from '../../../shared/client-api';
import { createElectronClient } from './electron-client';
import { createHttpClient } from './http-client';

/** The one api object of the renderer; which door it uses is decided once, here. */
export const api: ClientApi =
  window.altar !== undefined ? createElectronClient(window.altar) : createHttpClient();
