interface Props {
  tags: readonly string[];
  /** A remove button on each chip (the tag editor); without it the chips only show. */
  onRemove?: (tag: string) => void;
  disabled?: boolean;
  /** Shown when there are no tags; nothing when omitted. */
  emptyText?: string;
  testId?: string;
}

/** A run's tags as chips, in the order they were added (Omniboard's order). */
export function TagChips({ tags, onRemove, disabled = false, emptyText, testId }: Props) {
  if (tags.length === 0) {
    return emptyText === undefined ? null : (
      <span className="muted tag-chips-empty" data-testid={testId}>
        {emptyText}
      </span>
    );
  }
  return (
    <ul className="tag-chips" data-testid={testId} aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag} className="tag tag-chip" data-testid="tag-chip" data-tag={tag}>
          <span className="tag-chip-text">{tag}</span>
          {onRemove !== undefined && (
            <button
              type="button"
              className="tag-chip-remove"
              data-testid="tag-remove"
              aria-label={`Remove tag ${tag}`}
              title={`Remove “${tag}”`}
              disabled={disabled}
              onClick={(event) => {
                event.stopPropagation();
                onRemove(tag);
              }}
            >
              ×
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
