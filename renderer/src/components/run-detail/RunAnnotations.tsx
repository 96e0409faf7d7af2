import { useEffect, useState } from 'react';
import type { RunDetail } from '../../../../shared/contract';
import type { RunEdit } from '../../../../shared/contract/writes-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { useSourceWritable } from '../../hooks/source-writes-context';
import { usePendingEdits } from '../../hooks/use-pending-edits';
import { useSourceWritesToggle } from '../../hooks/use-source-writes-toggle';
import { useTagWrites } from '../../hooks/use-tag-writes';
import { editsOfRun } from '../../model/pending-edit-text';
import { withTag, withoutTag } from '../../model/tag-list';
import { enableEditsHint } from '../../model/write-access';
import { EditConflict } from '../edits/EditConflict';
import { WritesAnswer } from '../sources/WritesAnswer';
import { TagChips } from '../tags/TagChips';
import { TagEditor } from '../tags/TagEditor';
import { NotesEditor } from './NotesEditor';
import '../tags/tags.css';

/** What the Notes of a run are: Omniboard's `omniboard.notes`, else `meta.comment` (run.comment). */
function notesOf(run: RunDetail): string {
  return run.comment ?? '';
}

type TagState = { kind: 'saving' | 'saved' | 'pending' | 'conflict' | 'failed'; text: string };

function tagStateOf(edit: RunEdit | undefined): TagState {
  if (edit?.state === 'pending') {
    return { kind: 'pending', text: 'Pending: written when the source is online again.' };
  }
  if (edit?.state === 'conflict') {
    return { kind: 'conflict', text: 'The source’s tags changed since: choose below.' };
  }
  return { kind: 'saved', text: 'Saved.' };
}

/**
 * The run page's tags and notes: editable when the run's source has edits on, otherwise shown
 * with how to turn edits on; edits waiting for the source (pending, conflict) are shown here
 * with the choice a conflict needs.
 */
export function RunAnnotations({ run }: { run: RunDetail }) {
  const writable = useSourceWritable(run.source);
  const pending = usePendingEdits(run.source, true);
  const waiting = editsOfRun(pending.edits, run);
  const { addTag, removeTag } = useTagWrites();
  const [tags, setTags] = useState<readonly string[]>(run.tags);
  const [notes, setNotes] = useState(notesOf(run));
  const [tagState, setTagState] = useState<TagState | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = useSourceWritesToggle(run.source);

  // The run read again (a sync, the live refresh): its tags and notes as they are now.
  const runTagsKey = JSON.stringify(run.tags);
  useEffect(() => {
    if (!busy) setTags(run.tags);
    // runTagsKey stands for run.tags
  }, [runTagsKey]);
  const runNotes = notesOf(run);
  useEffect(() => setNotes(runNotes), [runNotes]);

  async function changeTags(next: readonly string[], write: () => Promise<RunEdit | undefined>) {
    const before = tags;
    setTags(next);
    setBusy(true);
    setTagState({ kind: 'saving', text: 'Saving…' });
    try {
      const edit = await write();
      if (edit !== undefined) setTags(edit.tags);
      setTagState(tagStateOf(edit));
      if (edit !== undefined && edit.state !== 'saved') pending.refresh();
    } catch (error) {
      setTags(before);
      setTagState({ kind: 'failed', text: `Not saved: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  }

  function onResolved(edit: RunEdit): void {
    setTags(edit.tags);
    setNotes(edit.notes);
    setTagState(null);
    pending.refresh();
  }

  const tagsPending = waiting.some((edit) => edit.field === 'tags');
  const notesPending = waiting.some((edit) => edit.field === 'notes');

  return (
    <section
      className="run-annotations"
      data-testid="run-annotations"
      data-writable={writable ? 'true' : 'false'}
      aria-label="Tags and notes"
    >
      <div className="annotation-row">
        <h3 className="annotation-label">
          Tags
          {tagsPending && <PendingMark />}
        </h3>
        {writable ? (
          <div className="annotation-field">
            <TagEditor
              source={run.source}
              tags={tags}
              busy={busy}
              onAdd={(tag) =>
                void changeTags(withTag(tags, tag), () => addTag(run.source, run.id, tag))
              }
              onRemove={(tag) =>
                void changeTags(withoutTag(tags, tag), () => removeTag(run.source, run.id, tag))
              }
            />
            <div
              className={`edit-state ${tagState?.kind ?? ''}`}
              role="status"
              data-testid="run-tags-state"
            >
              {tagState?.text ?? ''}
            </div>
          </div>
        ) : (
          <TagChips tags={tags} emptyText="No tags." testId="run-tags" />
        )}
      </div>
      <div className="annotation-row">
        <h3 className="annotation-label">
          Notes
          {notesPending && <PendingMark />}
        </h3>
        {writable ? (
          <NotesEditor
            source={run.source}
            id={run.id}
            notes={notes}
            onSaved={(edit) => {
              setNotes(edit.notes);
              if (edit.state !== 'saved') pending.refresh();
            }}
          />
        ) : notes.trim() === '' ? (
          <span className="muted">No notes.</span>
        ) : (
          <div className="overview-notes" data-testid="overview-notes">
            {notes}
          </div>
        )}
      </div>
      {!writable && (
        <div className="muted enable-edits-hint" data-testid="enable-edits-hint">
          {enableEditsHint(run.source)}{' '}
          <button
            type="button"
            className="small"
            data-testid="run-allow-edits"
            disabled={toggle.busy}
            onClick={() => toggle.set(true)}
          >
            Allow edits of {run.source}
          </button>
        </div>
      )}
      <WritesAnswer toggle={toggle} />
      {waiting.length > 0 && (
        <div className="run-waiting-edits">
          {waiting.map((edit) => (
            <EditConflict key={edit.field} edit={edit} onResolved={onResolved} />
          ))}
        </div>
      )}
    </section>
  );
}

function PendingMark() {
  return (
    <span
      className="kind-tag pending-mark"
      data-testid="pending-mark"
      title="Not written to the source yet"
    >
      pending
    </span>
  );
}
