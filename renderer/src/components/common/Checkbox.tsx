import type { ReactNode } from 'react';

interface Props {
  checked: boolean;
  onChange: (checked: boolean) => void;
  title?: string;
  children: ReactNode;
}

/** A toolbar switch: the whole label toggles it. */
export function Checkbox({ checked, onChange, title, children }: Props) {
  return (
    <label className="checkbox" title={title}>
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />{' '}
      {children}
    </label>
  );
}
