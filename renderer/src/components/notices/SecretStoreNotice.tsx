import { useEffect, useState } from 'react';
import { useApi } from '../../hooks/use-api';
import { secretStoreNotice } from '../../model/secret-store-notice';

/** Dismissed for the life of the page: the notice is mounted again as the screens change. */
let dismissed = false;

/**
 * Tells the desktop user when passwords cannot be kept safely: no OS keystore at all, or Linux
 * without a keyring, where Chromium's fallback key is public. Settings holds the opt-in.
 */
export function SecretStoreNotice() {
  const api = useApi();
  const [text, setText] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    if (dismissed) return undefined;
    api.getAppInfo({}).then(
      (info) => {
        if (current && !dismissed) setText(secretStoreNotice(info));
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  if (text === null) return null;
  return (
    <div className="error-banners" role="status">
      <div className="notice-banner" data-testid="secret-store-banner">
        <span className="error-banner-message">{text}</span>
        <button
          type="button"
          className="icon-button"
          aria-label="Dismiss"
          data-testid="secret-store-dismiss"
          onClick={() => {
            dismissed = true;
            setText(null);
          }}
        >
          ×
        </button>
      </div>
    </div>
  );
}
