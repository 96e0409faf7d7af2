import { useEffect, useState } from 'react';
import type { NdarrayDecoded } from '../../../../shared/ndarray-buffer';
import { loadNdarrayValues, ndarrayLines, summaryText } from '../../model/ndarray-values';
import { Spinner } from '../common/Spinner';
import './ndarray-values.css';

interface Props {
  /** The ndarray node as stored (binary form). */
  value: unknown;
  /** Left margin so the panel lines up under its tree row. */
  indent: number;
}

/**
 * The values of a big ndarray, decoded when the user asks (inflating megabytes for every
 * config shown would slow the tree down): a summary over all values and the first rows, or a
 * sentence saying why they cannot be shown.
 */
export function NdarrayValues({ value, indent }: Props) {
  const [decoded, setDecoded] = useState<NdarrayDecoded | null>(null);

  useEffect(() => {
    let live = true;
    setDecoded(null);
    void loadNdarrayValues(value).then((result) => {
      if (live) setDecoded(result);
    });
    return () => {
      live = false;
    };
  }, [value]);

  const style = { marginLeft: `${indent}px` };
  if (decoded === null) {
    return (
      <div className="ndarray-values" style={style} data-testid="ndarray-values">
        <Spinner /> Decoding the values…
      </div>
    );
  }
  if (!decoded.ok) {
    return (
      <div className="ndarray-values" style={style} data-testid="ndarray-values">
        <p className="ndarray-problem" role="alert">
          Cannot show the values: {decoded.message}
        </p>
      </div>
    );
  }
  const lines = ndarrayLines(decoded.values, decoded.shape);
  return (
    <div className="ndarray-values" style={style} data-testid="ndarray-values">
      <p className="ndarray-summary" data-testid="ndarray-summary">
        {decoded.dtype.name} [{decoded.shape.join(', ')}] · {summaryText(decoded.summary)}
      </p>
      <pre className="ndarray-rows">{lines.join('\n')}</pre>
      {decoded.shown < decoded.summary.count && (
        <p className="muted ndarray-note">
          The first {decoded.shown} of {decoded.summary.count} values; the summary covers all.
        </p>
      )}
    </div>
  );
}
