import { useEffect, useState } from 'react';
import { useApi } from '../../hooks/use-api';

/** Dismissed for the life of the page: the notice is mounted again as the screens change. */
let dismissed = false;

/**
 * Tells the user once that the cache file was unusable at start (corrupt, or from a newer
 * version): it was moved aside and rebuilt, so runs come back with the next sync.
 */
export function CacheRecoveredNotice() {
  const api = useApi();
  const [movedTo, setMovedTo] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    if (dismissed) return undefined;
    api.getAppInfo({}).then(
      (info) => {
        if (current && !dismissed) setMovedTo(info.cacheRecoveredFrom ?? null);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  if (movedTo === null) return null;
  return (
    <div className="error-banners" role="status">
      <div className="notice-banner" data-testid="cache-recovered-banner">
        <span className="error-banner-message">
          The local cache could not be used (it was damaged or written by a newer version). It was
          moved to <code>{movedTo}</code> and a new one was started: sync your sources to read their
          runs again.
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label="Dismiss"
          data-testid="cache-recovered-dismiss"
          onClick={() => {
            dismissed = true;
            setMovedTo(null);
          }}
        >
          ×
        </button>
      </div>
    </div>
  );
}
