import { useSourceTags } from '../../hooks/use-source-tags';
import { TagChips } from './TagChips';
import { TagInput } from './TagInput';
import './tags.css';

interface Props {
  source: string;
  tags: readonly string[];
  onAdd: (tag: string) => void;
  onRemove: (tag: string) => void;
  /** A change is being written: further ones wait. */
  busy?: boolean;
  autoFocus?: boolean;
  testId?: string;
}

/** A run's tags as removable chips, with a field adding tags the source already uses or new ones. */
export function TagEditor({
  source,
  tags,
  onAdd,
  onRemove,
  busy = false,
  autoFocus = false,
  testId = 'tag-editor',
}: Props) {
  const known = useSourceTags([source]);
  return (
    <div className="tag-editor" data-testid={testId} aria-busy={busy}>
      <TagChips tags={tags} onRemove={onRemove} disabled={busy} />
      <TagInput
        known={known}
        present={tags}
        onAdd={onAdd}
        disabled={busy}
        autoFocus={autoFocus}
        label={`Add a tag to the run`}
      />
    </div>
  );
}
