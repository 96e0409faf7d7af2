import { useEffect, useRef } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react';

const focusable =
  'a[href], button:not(:disabled), input:not(:disabled):not([type="hidden"]), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

interface Props {
  titleId: string;
  onClose: () => void;
  className?: string;
  testId?: string;
  /** Off for forms where a stray click outside would throw away what was typed. */
  closeOnBackdrop?: boolean;
  children: ReactNode;
}

/**
 * A modal over the app: Esc or a click outside closes it, Tab stays inside, and focus goes back
 * to where it was (the button that opened it) when it closes.
 */
export function Modal({
  titleId,
  onClose,
  className,
  testId,
  closeOnBackdrop = true,
  children,
}: Props) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = dialogRef.current;
    // An autoFocus field inside has already taken focus; otherwise focus the dialog itself.
    if (dialog !== null && !dialog.contains(document.activeElement)) dialog.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault();
        onCloseRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (previous !== null && previous.isConnected) previous.focus();
    };
  }, []);

  function trapTab(event: ReactKeyboardEvent<HTMLDivElement>): void {
    if (event.key !== 'Tab' || dialogRef.current === null) return;
    const items = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(focusable)).filter(
      (item) => item.offsetParent !== null,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (first === undefined || last === undefined) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === dialogRef.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (closeOnBackdrop && event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={dialogRef}
        className={className === undefined ? 'dialog' : `dialog ${className}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={trapTab}
      >
        {children}
      </div>
    </div>
  );
}
