import { useEffect, useId, useReducer, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { RunEdit } from '../../../../shared/contract/writes-methods';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import type { NotesDraft } from '../../model/notes-draft';
import {
  canSaveNotes,
  hasUnsavedText,
  notesDraft,
  notesReducer,
  notesStatusText,
} from '../../model/notes-draft';

interface Props {
  source: string;
  id: string;
  /** The run's notes as the cache has them ('' for none). */
  notes: string;
  onSaved?: (edit: RunEdit) => void;
}

/**
 * Unsaved notes of runs the user left (Back, another run, a reload of the window) are kept in
 * the tab's session storage: they are there again when the run is opened again, so leaving a
 * page never throws typed text away. Storage refused (private mode, full): memory only.
 */
const memoryDrafts = new Map<string, string>();
const unsavedDrafts = {
  key: (run: string): string => `altar-unsaved-notes:${encodeURIComponent(run)}`,
  get(run: string): string | undefined {
    try {
      return window.sessionStorage.getItem(this.key(run)) ?? memoryDrafts.get(run);
    } catch {
      return memoryDrafts.get(run);
    }
  },
  set(run: string, text: string): void {
    memoryDrafts.set(run, text);
    try {
      window.sessionStorage.setItem(this.key(run), text);
    } catch {
      // Kept in memory above.
    }
  },
  delete(run: string): void {
    memoryDrafts.delete(run);
    try {
      window.sessionStorage.removeItem(this.key(run));
    } catch {
      // Nothing kept there.
    }
  },
};

function initialState({ key, notes }: { key: string; notes: string }): NotesDraft {
  const kept = unsavedDrafts.get(key);
  if (kept === undefined || kept === notes) return notesDraft(notes);
  return { ...notesDraft(notes), draft: kept, status: 'dirty' };
}

/** A run's notes as a text area: Save or Ctrl/Cmd+S writes them, the state shows beside. */
export function NotesEditor({ source, id, notes, onSaved }: Props) {
  const api = useApi();
  const key = `${source}\u0000${id}`;
  const [state, dispatch] = useReducer(notesReducer, { key, notes }, initialState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const statusId = useId();

  // The run read again (a sync, the CLI, another window): adopted unless text is at stake.
  useEffect(() => dispatch({ type: 'loaded', notes }), [notes]);

  useEffect(() => {
    if (hasUnsavedText(state)) unsavedDrafts.set(key, state.draft);
    else unsavedDrafts.delete(key);
  }, [key, state]);

  function save(): void {
    const current = stateRef.current;
    if (!canSaveNotes(current)) return;
    const text = current.draft;
    dispatch({ type: 'save-started' });
    api.setNotes({ source, id, notes: text }).then(
      (edit) => {
        dispatch({ type: 'save-succeeded', notes: edit.notes, state: edit.state });
        onSaved?.(edit);
      },
      (error: unknown) => dispatch({ type: 'save-failed', message: errorMessage(error) }),
    );
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>): void {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      save();
    }
  }

  const statusText = notesStatusText(state);
  return (
    <div
      className="notes-editor"
      data-testid="notes-editor"
      data-state={state.status}
      onKeyDown={onKeyDown}
    >
      <textarea
        className="notes-text"
        data-testid="notes-text"
        aria-label={`Notes of run ${id}`}
        aria-describedby={statusId}
        placeholder="No notes yet. Type here; Ctrl+S (⌘S) saves."
        rows={Math.min(12, Math.max(3, state.draft.split('\n').length + 1))}
        value={state.draft}
        onChange={(event) => dispatch({ type: 'typed', text: event.target.value })}
      />
      <div className="notes-actions">
        <button
          type="button"
          className="small"
          data-testid="notes-save"
          disabled={!canSaveNotes(state)}
          onClick={save}
          title="Save the notes (Ctrl+S, ⌘S)"
        >
          {state.status === 'failed' ? 'Try again' : 'Save'}
        </button>
        {hasUnsavedText(state) && state.status !== 'saving' && (
          <button
            type="button"
            className="small"
            data-testid="notes-discard"
            onClick={() => dispatch({ type: 'discarded' })}
            title="Throw the typed text away and show the saved notes"
          >
            Discard changes
          </button>
        )}
        <span
          id={statusId}
          className={`edit-state ${state.status}`}
          data-testid="notes-state"
          role="status"
        >
          {statusText}
        </span>
      </div>
    </div>
  );
}
