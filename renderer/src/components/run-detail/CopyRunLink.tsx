import { useState } from 'react';
import { deepLinkForRun } from '../../../../shared/deep-link';
import { formatRoute } from '../../../../shared/routes';
import { useApi } from '../../hooks/use-api';
import { copyText } from '../../model/clipboard';

/**
 * "Copy link" of a run: in the desktop app an altar-viewer://run/… link that opens the run
 * from a chat or a notes file; in a browser the run's address on this server (never with the
 * access token, which lives in a cookie).
 */
export function CopyRunLink({ source, id }: { source: string; id: string }) {
  const api = useApi();
  const [copied, setCopied] = useState(false);
  const link =
    api.door === 'electron'
      ? deepLinkForRun({ source, runId: id })
      : `${window.location.origin}${formatRoute({ screen: 'run', run: { source, id }, tab: null })}`;
  return (
    <button
      type="button"
      className="small"
      data-testid="copy-run-link"
      title={link}
      onClick={() => {
        void copyText(link).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? 'Copied' : 'Copy link'}
    </button>
  );
}
