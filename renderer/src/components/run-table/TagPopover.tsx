import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { errorMessage } from '../../hooks/report-error-context';
import { useSourceTags } from '../../hooks/use-source-tags';
import { useTagWrites } from '../../hooks/use-tag-writes';
import { bulkTagSummary } from '../../model/bulk-tag-summary';
import { withTag, withoutTag } from '../../model/tag-list';
import { TagChips } from '../tags/TagChips';
import { TagInput } from '../tags/TagInput';
import '../tags/tags.css';

interface Frame {
  title: string;
  anchor: DOMRect;
  onClose: () => void;
  testId: string;
  children: ReactNode;
}

/**
 * A small dialog at a cell or button of the run table: Esc or a click outside closes it and
 * focus goes back where it was (the table), so the arrow keys work on at once.
 */
function PopoverFrame({ title, anchor, onClose, testId, children }: Frame) {
  const panelRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onDown = (event: MouseEvent): void => {
      if (!panelRef.current?.contains(event.target as Node)) onCloseRef.current();
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      // Only this popover closes: the table's own Escape (clear the selection) must not fire.
      event.stopPropagation();
      onCloseRef.current();
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey, true);
      if (previous !== null && previous.isConnected) previous.focus({ preventScroll: true });
    };
  }, []);
  const left = Math.max(8, Math.min(anchor.left, window.innerWidth - 372));
  const top = Math.min(anchor.bottom + 4, window.innerHeight - 200);
  return (
    <div
      ref={panelRef}
      className="popover tag-popover"
      role="dialog"
      aria-label={title}
      data-testid={testId}
      style={{ left, top }}
    >
      <div className="tag-popover-title">{title}</div>
      {children}
    </div>
  );
}

interface RunProps {
  source: string;
  id: string;
  tags: readonly string[];
  anchor: DOMRect;
  /** A tag was written: the table fetches its rows again. */
  onEdited: () => void;
  onClose: () => void;
}

/** The tags of one run of the table, editable in place (its source's writes are on). */
export function RunTagsPopover({ source, id, tags: initial, anchor, onEdited, onClose }: RunProps) {
  const { addTag, removeTag } = useTagWrites();
  const known = useSourceTags([source]);
  const [tags, setTags] = useState<readonly string[]>(initial);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; kind: string } | null>(null);

  async function change(
    next: readonly string[],
    write: () => Promise<{ tags: string[]; state: string } | undefined>,
  ) {
    const before = tags;
    setTags(next);
    setBusy(true);
    setStatus({ text: 'Saving…', kind: 'saving' });
    try {
      const edit = await write();
      if (edit !== undefined) setTags(edit.tags);
      setStatus(
        edit?.state === 'pending'
          ? { text: 'Pending: written when the source is online again.', kind: 'pending' }
          : edit?.state === 'conflict'
            ? { text: 'Conflict: the source changed; open the run to choose.', kind: 'conflict' }
            : { text: 'Saved.', kind: 'saved' },
      );
      onEdited();
    } catch (error) {
      setTags(before);
      setStatus({ text: `Not saved: ${errorMessage(error)}`, kind: 'failed' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <PopoverFrame
      title={`Tags of run ${id}`}
      anchor={anchor}
      onClose={onClose}
      testId="tag-popover"
    >
      <TagChips
        tags={tags}
        emptyText="No tags yet."
        disabled={busy}
        onRemove={(tag) => void change(withoutTag(tags, tag), () => removeTag(source, id, tag))}
      />
      <TagInput
        known={known}
        present={tags}
        autoFocus
        disabled={busy}
        label={`Add a tag to run ${id}`}
        onAdd={(tag) => void change(withTag(tags, tag), () => addTag(source, id, tag))}
      />
      <div
        className={`edit-state ${status?.kind ?? ''}`}
        role="status"
        data-testid="tag-edit-state"
      >
        {status?.text ?? ''}
      </div>
    </PopoverFrame>
  );
}

interface BulkProps {
  /** The selected runs, in table order. */
  runs: readonly { source: string; id: string }[];
  anchor: DOMRect;
  onEdited: () => void;
  onClose: () => void;
}

/** "Add tag to selected runs": one tag for every selected run whose source is writable. */
export function BulkTagPopover({ runs, anchor, onEdited, onClose }: BulkProps) {
  const { addTagToRuns } = useTagWrites();
  const sources = [...new Set(runs.map((run) => run.source))];
  const known = useSourceTags(sources);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<{ text: string; failed: boolean } | null>(null);
  const count = runs.length;

  return (
    <PopoverFrame
      title={`Add a tag to ${count} selected run${count === 1 ? '' : 's'}`}
      anchor={anchor}
      onClose={onClose}
      testId="bulk-tag-popover"
    >
      <TagInput
        known={known}
        present={[]}
        autoFocus
        disabled={busy}
        label="Tag to add to the selected runs"
        testId="bulk-tag-input"
        onAdd={(tag) => {
          setBusy(true);
          setSummary({ text: 'Saving…', failed: false });
          addTagToRuns(runs, tag).then(
            (result) => {
              setSummary({
                text: bulkTagSummary(tag, result),
                failed: result.failed.size > 0 || result.readOnly.size > 0,
              });
              if (result.edits.length > 0) onEdited();
              setBusy(false);
            },
            (error: unknown) => {
              setSummary({ text: `Not tagged: ${errorMessage(error)}`, failed: true });
              setBusy(false);
            },
          );
        }}
      />
      <div
        className={`edit-state${summary?.failed === true ? ' failed' : ''}`}
        role="status"
        data-testid="bulk-tag-state"
      >
        {summary?.text ?? 'Enter adds the tag; runs keep their other tags.'}
      </div>
    </PopoverFrame>
  );
}
