import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

export interface OverflowItem {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
}

interface Props {
  /** The button's text ("More", "Status"). */
  label: string;
  /** Menu items; or free content (a group of chips) when `children` is given. */
  items?: readonly OverflowItem[];
  children?: ReactNode;
  testId: string;
}

/**
 * What a narrow toolbar folds away, one click from sight: a button with a popup under it.
 * The toolbar shows it only where its controls would otherwise wrap (styles.css, container
 * query on the run list), so on a wide window nothing changes.
 */
export function ToolbarOverflow({ label, items, children, testId }: Props) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: MouseEvent): void => {
      if (rootRef.current !== null && !rootRef.current.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      // Escape closes the menu only: the table's own Escape (clear selection) must not fire.
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    };
    window.addEventListener('mousedown', onPointer);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('mousedown', onPointer);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  return (
    <div className="toolbar-overflow" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        data-testid={testId}
        aria-haspopup={items !== undefined ? 'menu' : 'dialog'}
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        {label} ▾
      </button>
      {open &&
        (items !== undefined ? (
          <div className="toolbar-overflow-popup" role="menu" aria-label={label}>
            {items.map((item) => (
              <button
                key={item.label}
                type="button"
                role="menuitem"
                disabled={item.disabled}
                onClick={() => {
                  setOpen(false);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            ))}
          </div>
        ) : (
          <div className="toolbar-overflow-popup chips" role="dialog" aria-label={label}>
            {children}
          </div>
        ))}
    </div>
  );
}
