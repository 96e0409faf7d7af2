import type { KeyboardEvent } from 'react';

interface Props {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  label: string;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
  testId?: string;
}

/** The filter box of a toolbar. */
export function SearchInput({ value, onChange, placeholder, label, onKeyDown, testId }: Props) {
  return (
    <input
      type="search"
      className="filter-input"
      placeholder={placeholder}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={onKeyDown}
      aria-label={label}
      data-testid={testId}
    />
  );
}
