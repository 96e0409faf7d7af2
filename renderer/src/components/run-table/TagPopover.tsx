import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useWritableSources } from '../../hooks/source-writes-context';
import { useSourceTags } from '../../hooks/use-source-tags';
import { useTagWrites } from '../../hooks/use-tag-writes';
import { bulkTagSummary } from '../../model/bulk-tag-summary';
import { idsBySource, withTag, withoutTag } from '../../model/tag-list';
import { enableEditsHint } from '../../model/write-access';
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
  // Taken while rendering: by the time effects run, the field inside has taken focus.
  const [previous] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  useEffect(() => {
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
  }, [previous]);
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
  /** null: not known to the table; read from the run. */
  tags: readonly string[] | null;
  anchor: DOMRect;
  /** A tag was written: the table fetches its rows again. */
  onEdited: () => void;
  onClose: () => void;
}

/** The tags of one run of the table, editable in place (its source's writes are on). */
export function RunTagsPopover({ source, id, tags: initial, anchor, onEdited, onClose }: RunProps) {
  const { addTag, removeTag } = useTagWrites();
  const known = useSourceTags([source]);
  const api = useApi();
  const [tags, setTags] = useState<readonly string[]>(initial ?? []);
  const [busy, setBusy] = useState(false);
  const [loading, setLoading] = useState(initial === null);
  const [status, setStatus] = useState<{ text: string; kind: string } | null>(null);
  useEffect(() => {
    if (initial !== null) return undefined;
    let current = true;
    api.getRun({ source, id }).then(
      (run) => {
        if (!current) return;
        setTags((shown) => (shown.length === 0 ? run.tags : shown));
        setLoading(false);
      },
      (error: unknown) => {
        if (!current) return;
        setLoading(false);
        setStatus({ text: `The run could not be read: ${errorMessage(error)}`, kind: 'failed' });
      },
    );
    return () => {
      current = false;
    };
    // Read once, when the editor opens.
  }, []);

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
        emptyText={loading ? 'Reading its tags…' : 'No tags yet.'}
        disabled={busy || loading}
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
  const writable = useWritableSources();
  const bySource = idsBySource(runs);
  const readOnly = [...bySource.keys()].filter((source) => !writable.has(source));
  const known = useSourceTags([...bySource.keys()].filter((source) => writable.has(source)));
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
      {readOnly.length > 0 && (
        <div className="muted" data-testid="bulk-tag-read-only">
          {readOnly.length === bySource.size
            ? enableEditsHint(readOnly.join(', '))
            : `Runs of ${readOnly.join(', ')} are left out: read-only (“Allow edits” in the source’s ⋯ menu).`}
        </div>
      )}
      <TagInput
        known={known}
        present={[]}
        autoFocus
        disabled={busy || readOnly.length === bySource.size}
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
