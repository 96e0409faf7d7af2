import { useState } from 'react';
import type { RunKey } from '../../../../shared/contract';
import { useReportError } from '../../hooks/report-error-context';
import { DeleteRunsDialog } from './DeleteRunsDialog';

interface Props {
  /** How many rows are selected (the button is off at 0). */
  selected: number;
  /** The selected runs, in table order (they may have to be fetched). */
  runs: () => Promise<RunKey[]>;
  onDeleted: (runs: RunKey[]) => void;
}

/** The run table's "Delete…" for the selected runs; the dialog confirms with counts. */
export function DeleteSelectedButton({ selected, runs, onDeleted }: Props) {
  const reportError = useReportError();
  const [chosen, setChosen] = useState<RunKey[] | null>(null);
  return (
    <>
      <button
        type="button"
        data-testid="delete-selected"
        disabled={selected === 0}
        title="Delete the selected runs (sources with writes on); asks first"
        onClick={() => {
          runs()
            .then((keys) => {
              if (keys.length > 0) setChosen(keys);
            })
            .catch(reportError);
        }}
      >
        {selected > 0 ? `Delete ${selected}…` : 'Delete…'}
      </button>
      {chosen !== null && (
        <DeleteRunsDialog runs={chosen} onClose={() => setChosen(null)} onDeleted={onDeleted} />
      )}
    </>
  );
}
