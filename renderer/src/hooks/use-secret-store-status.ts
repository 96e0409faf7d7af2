import { useEffect, useState } from 'react';
import type { SecretStoreStatus } from '../../../shared/contract';
import { useApi } from './use-api';

/** Where this app keeps passwords (undefined until known, or from an older core). */
export function useSecretStoreStatus(): SecretStoreStatus | undefined {
  const api = useApi();
  const [status, setStatus] = useState<SecretStoreStatus | undefined>(undefined);
  useEffect(() => {
    let current = true;
    api.getAppInfo({}).then(
      (info) => {
        if (current) setStatus(info.secretStoreStatus);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);
  return status;
}
