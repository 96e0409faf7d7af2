import { createContext, useContext } from 'react';
import type { ClientApi } from '../../../shared/client-api';

/** The api object, injectable so components can be rendered against a fake in tests. */
export const ApiContext = createContext<ClientApi | null>(null);

export function useApi(): ClientApi {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('ApiContext is missing');
  return api;
}
