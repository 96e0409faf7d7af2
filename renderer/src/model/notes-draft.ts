/**
 * The run page's notes editor as a state machine: what the source holds, what is typed, and
 * where a save stands. The typed text is never replaced by a failure or by a reload of the run
 * while it differs from what was saved: only the user throws it away.
 */

export type NotesStatus =
  /** Nothing typed since the last load or save. */
  | 'clean'
  /** Typed text not saved yet. */
  | 'dirty'
  | 'saving'
  /** Written to the source. */
  | 'saved'
  /** Kept in the cache; written when the source is reachable again. */
  | 'pending'
  /** The source's notes changed since the edit: the user chooses (see EditConflict). */
  | 'conflict'
  /** The save was refused or could not be made; the typed text is still here. */
  | 'failed';

export interface NotesDraft {
  /** The notes as the cache (and, when saved, the source) has them. */
  saved: string;
  /** What the text area shows. */
  draft: string;
  status: NotesStatus;
  /** Why the last save failed (status failed). */
  error: string | null;
  /** The text being saved (status saving), so typing on meanwhile is not marked saved. */
  saving: string | null;
  /** Set when the run's notes changed elsewhere while the user had unsaved text. */
  changedElsewhere: boolean;
}

export type NotesEvent =
  | { type: 'typed'; text: string }
  | { type: 'save-started' }
  | { type: 'save-succeeded'; notes: string; state: 'saved' | 'pending' | 'conflict' }
  | { type: 'save-failed'; message: string }
  /** The run was read again (a sync, another window, the CLI): its notes as they are now. */
  | { type: 'loaded'; notes: string }
  /** Back to what the source has, dropping the typed text (the user asked for it). */
  | { type: 'discarded' };

export function notesDraft(notes: string): NotesDraft {
  return {
    saved: notes,
    draft: notes,
    status: 'clean',
    error: null,
    saving: null,
    changedElsewhere: false,
  };
}

/** Whether the text area holds something the source does not have yet. */
export function hasUnsavedText(state: NotesDraft): boolean {
  return state.draft !== state.saved || state.status === 'failed';
}

export function canSaveNotes(state: NotesDraft): boolean {
  return state.status !== 'saving' && hasUnsavedText(state);
}

export function notesReducer(state: NotesDraft, event: NotesEvent): NotesDraft {
  switch (event.type) {
    case 'typed': {
      if (event.text === state.draft) return state;
      if (state.status === 'saving') return { ...state, draft: event.text };
      return {
        ...state,
        draft: event.text,
        status: event.text === state.saved ? 'clean' : 'dirty',
      };
    }
    case 'save-started':
      return { ...state, status: 'saving', saving: state.draft, error: null };
    case 'save-succeeded': {
      const typedOn = state.saving !== null && state.draft !== state.saving;
      return {
        ...state,
        saved: event.notes,
        status: typedOn ? 'dirty' : event.state,
        saving: null,
        error: null,
        changedElsewhere: false,
      };
    }
    case 'save-failed':
      return { ...state, status: 'failed', saving: null, error: event.message };
    case 'loaded': {
      if (event.notes === state.saved) return state;
      if (state.draft === state.saved && state.status !== 'saving' && state.status !== 'failed') {
        // Nothing of the user's own is at stake: show what the source has now.
        const status = state.status === 'conflict' ? 'conflict' : 'clean';
        return { ...notesDraft(event.notes), status };
      }
      const same = event.notes === state.draft;
      return {
        ...state,
        saved: event.notes,
        status: same && state.status !== 'saving' ? 'clean' : state.status,
        changedElsewhere: !same,
      };
    }
    case 'discarded':
      return notesDraft(state.saved);
  }
}

/** The save state as a short line beside the text area. */
export function notesStatusText(state: NotesDraft): string {
  switch (state.status) {
    case 'clean':
      return '';
    case 'dirty':
      return state.changedElsewhere
        ? 'Not saved. The notes were changed elsewhere meanwhile: saving writes yours over them.'
        : 'Not saved yet (Ctrl+S or Save).';
    case 'saving':
      return 'Saving…';
    case 'saved':
      return 'Saved.';
    case 'pending':
      return 'Saved here, pending: the source is offline; it is written at the next sync.';
    case 'conflict':
      return 'The source’s notes changed since your edit: choose which to keep.';
    case 'failed':
      return `Not saved: ${state.error ?? 'the save failed'}. Your text is kept; Save tries again.`;
  }
}
