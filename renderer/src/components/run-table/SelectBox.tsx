import { useEffect, useRef } from 'react';
import type { MouseEvent, ReactElement, Ref } from 'react';

interface Props {
  checked: boolean;
  /** Some but not all rows selected (the header box). */
  indeterminate?: boolean;
  label: string;
  testId: string;
  /** The click, with its modifier keys (shift extends a range). */
  onToggle: (event: MouseEvent<HTMLInputElement>) => void;
}

/**
 * The run table's selection checkbox. It is out of the Tab order (the grid itself takes the
 * keys: Space, Shift+arrows, Escape) and its click never reaches the row, which would open the run.
 */
export function SelectBox({ checked, indeterminate = false, label, testId, onToggle }: Props) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current !== null) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return selectBoxInput({ checked, label, testId, onToggle }, ref);
}

/**
 * The checkbox itself, never indeterminate: a row's box, built by a plain call so that each of
 * the ~40 rows a fling renders per frame has no component (fiber, ref, effect) of its own.
 */
export function selectBoxInput(
  { checked, label, testId, onToggle }: Omit<Props, 'indeterminate'>,
  ref?: Ref<HTMLInputElement>,
): ReactElement {
  return (
    <input
      ref={ref}
      type="checkbox"
      className="select-box"
      data-testid={testId}
      aria-label={label}
      tabIndex={-1}
      checked={checked}
      // The click decides (it carries shift); React re-renders from the selection.
      readOnly
      onClick={(event) => {
        event.stopPropagation();
        onToggle(event);
      }}
    />
  );
}
