import { describe, expect, it } from 'vitest';
import type { NotesDraft, NotesEvent } from '../../renderer/src/model/notes-draft';
import {
  canSaveNotes,
  hasUnsavedText,
  notesDraft,
  notesReducer,
  notesStatusText,
} from '../../renderer/src/model/notes-draft';

function run(start: NotesDraft, ...events: NotesEvent[]): NotesDraft {
  return events.reduce(notesReducer, start);
}

describe('the notes editor', () => {
  it('starts clean with the run notes and has nothing to save', () => {
    const state = notesDraft('first try');
    expect(state.draft).toBe('first try');
    expect(state.status).toBe('clean');
    expect(canSaveNotes(state)).toBe(false);
    expect(notesStatusText(state)).toBe('');
  });

  it('typing marks it unsaved; typing back to the saved text makes it clean again', () => {
    const typed = run(notesDraft('a'), { type: 'typed', text: 'ab' });
    expect(typed.status).toBe('dirty');
    expect(canSaveNotes(typed)).toBe(true);
    expect(notesStatusText(typed)).toMatch(/not saved yet/iu);
    expect(run(typed, { type: 'typed', text: 'a' }).status).toBe('clean');
  });

  it('a save goes saving → saved, and the saved text is what the core answered', () => {
    const saving = run(
      notesDraft(''),
      { type: 'typed', text: 'lr too high' },
      { type: 'save-started' },
    );
    expect(saving.status).toBe('saving');
    expect(canSaveNotes(saving)).toBe(false);
    expect(notesStatusText(saving)).toBe('Saving…');
    const saved = run(saving, { type: 'save-succeeded', notes: 'lr too high', state: 'saved' });
    expect(saved.status).toBe('saved');
    expect(saved.saved).toBe('lr too high');
    expect(hasUnsavedText(saved)).toBe(false);
  });

  it('a failed save keeps the typed text, says why, and can be tried again', () => {
    const failed = run(
      notesDraft('old'),
      { type: 'typed', text: 'my long note' },
      { type: 'save-started' },
      { type: 'save-failed', message: 'run 3 is RUNNING' },
    );
    expect(failed.draft).toBe('my long note');
    expect(failed.saved).toBe('old');
    expect(failed.status).toBe('failed');
    expect(notesStatusText(failed)).toMatch(/run 3 is RUNNING.*text is kept/u);
    expect(canSaveNotes(failed)).toBe(true);
  });

  it('text typed while a save is on its way stays unsaved after the save', () => {
    const state = run(
      notesDraft(''),
      { type: 'typed', text: 'one' },
      { type: 'save-started' },
      { type: 'typed', text: 'one two' },
      { type: 'save-succeeded', notes: 'one', state: 'saved' },
    );
    expect(state.draft).toBe('one two');
    expect(state.saved).toBe('one');
    expect(state.status).toBe('dirty');
  });

  it('an offline source leaves the edit pending, a changed one in conflict', () => {
    const typed = run(notesDraft(''), { type: 'typed', text: 'x' }, { type: 'save-started' });
    const pending = notesReducer(typed, { type: 'save-succeeded', notes: 'x', state: 'pending' });
    expect(pending.status).toBe('pending');
    expect(notesStatusText(pending)).toMatch(/pending/u);
    const conflict = notesReducer(typed, { type: 'save-succeeded', notes: 'x', state: 'conflict' });
    expect(notesStatusText(conflict)).toMatch(/choose/u);
  });

  it('a reload of the run shows the new notes when nothing is typed', () => {
    const state = run(notesDraft('old'), { type: 'loaded', notes: 'from omniboard' });
    expect(state.draft).toBe('from omniboard');
    expect(state.status).toBe('clean');
  });

  it('a reload never replaces typed text, and says the notes changed elsewhere', () => {
    const state = run(
      notesDraft('old'),
      { type: 'typed', text: 'mine' },
      { type: 'loaded', notes: 'from omniboard' },
    );
    expect(state.draft).toBe('mine');
    expect(state.saved).toBe('from omniboard');
    expect(state.changedElsewhere).toBe(true);
    expect(notesStatusText(state)).toMatch(/changed elsewhere/u);
  });

  it('a reload after a failed save keeps the typed text', () => {
    const state = run(
      notesDraft('old'),
      { type: 'typed', text: 'mine' },
      { type: 'save-started' },
      { type: 'save-failed', message: 'offline' },
      { type: 'loaded', notes: 'other' },
    );
    expect(state.draft).toBe('mine');
    expect(state.status).toBe('failed');
  });

  it('discarding goes back to the saved notes', () => {
    const state = run(notesDraft('kept'), { type: 'typed', text: 'oops' }, { type: 'discarded' });
    expect(state.draft).toBe('kept');
    expect(state.status).toBe('clean');
  });
});
