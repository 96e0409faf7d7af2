import { useSourceWritable } from '../../hooks/source-writes-context';
import { useTagEditRequest } from '../../hooks/tag-edit-context';
import { TagChips } from '../tags/TagChips';

interface Props {
  source: string;
  id: string;
  tags: readonly string[];
}

/**
 * The run table's Tags cell: the tags as chips and, when the run's source is writable, an edit
 * button opening the table's tag editor at the cell (its click does not open the run).
 */
export function TagsCell({ source, id, tags }: Props) {
  const writable = useSourceWritable(source);
  const requestEdit = useTagEditRequest();
  const editable = writable && requestEdit !== null;
  return (
    <span className="tags-cell" data-testid="tags-cell">
      <TagChips tags={tags} />
      {editable && (
        <button
          type="button"
          className="small tags-cell-edit"
          data-testid="tags-cell-edit"
          aria-label={`Edit the tags of run ${id}`}
          title="Edit tags"
          onClick={(event) => {
            event.stopPropagation();
            const cell = event.currentTarget.closest('.run-cell') ?? event.currentTarget;
            requestEdit({ source, id, tags, anchor: cell.getBoundingClientRect() });
          }}
        >
          {tags.length === 0 ? '+ tag' : '✎'}
        </button>
      )}
    </span>
  );
}
