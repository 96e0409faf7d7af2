import { useState } from 'react';
import type { RunKey } from '../../../../shared/contract';
import { useReportError } from '../../hooks/report-error-context';
import { CopyRunsDialog } from './CopyRunsDialog';

interface Props {
  /** How many rows are selected (the button is off at 0). */
  selected: number;
  /** The selected runs, in table order (they may have to be fetched). */
  runs: () => Promise<RunKey[]>;
}

/** The run table's "Copy to…" for the selected runs: the dialog chooses the target source. */
export function CopySelectedButton({ selected, runs }: Props) {
  const reportError = useReportError();
  const [chosen, setChosen] = useState<RunKey[] | null>(null);
  return (
    <>
      <button
        type="button"
        data-testid="copy-selected"
        disabled={selected === 0}
        title="Copy the selected runs, with everything of them, into another writable source"
        onClick={() => {
          runs()
            .then((keys) => {
              if (keys.length > 0) setChosen(keys);
            })
            .catch(reportError);
        }}
      >
        {selected > 0 ? `Copy ${selected} to…` : 'Copy to…'}
      </button>
      {chosen !== null && <CopyRunsDialog runs={chosen} onClose={() => setChosen(null)} />}
    </>
  );
}
