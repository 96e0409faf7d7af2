import { describe, expect, it } from 'vitest';
import {
  editValueText,
  editsOfRun,
  pendingEditsLabel,
} from '../../renderer/src/model/pending-edit-text';
import {
  enableEditsHint,
  writesAnswerText,
  writesRefused,
} from '../../renderer/src/model/write-access';

describe('what the UI says about a source writes', () => {
  it('a read-only source says how to turn edits on, in the menu and with the CLI', () => {
    const hint = enableEditsHint('lab');
    expect(hint).toMatch(/lab is read-only/u);
    expect(hint).toMatch(/Allow edits/u);
    expect(hint).toMatch(/altar-viewer sources set lab --writes on/u);
  });

  it('a refusal shows the server answer as an alert', () => {
    const answer = {
      source: 'lab',
      writable: false,
      userCanWrite: false,
      message: 'this user can only read lab',
    };
    expect(writesAnswerText(answer, true)).toBe('this user can only read lab');
    expect(writesRefused(answer, true)).toBe(true);
  });

  it('edits turned on say so, with a caution from the core when there is one', () => {
    const on = { source: 'lab', writable: true, userCanWrite: null, message: null };
    expect(writesAnswerText(on, true)).toMatch(/Edits of lab are on/u);
    expect(writesRefused(on, true)).toBe(false);
    const unsure = { ...on, message: 'the server could not be asked' };
    expect(writesAnswerText(unsure, true)).toMatch(/could not be asked/u);
  });

  it('turning edits off says the source is read-only again', () => {
    const off = { source: 'lab', writable: false, userCanWrite: true, message: null };
    expect(writesAnswerText(off, false)).toMatch(/read-only again/u);
    expect(writesRefused(off, false)).toBe(false);
  });
});

describe('edits waiting for a source', () => {
  const edits = [
    { source: 'lab', id: '1', field: 'notes' as const, state: 'pending' as const },
    { source: 'lab', id: '1', field: 'tags' as const, state: 'conflict' as const },
    { source: 'lab', id: '2', field: 'tags' as const, state: 'pending' as const },
    { source: 'other', id: '1', field: 'tags' as const, state: 'pending' as const },
  ];

  it('counts pending edits and conflicts, and nothing when none wait', () => {
    expect(pendingEditsLabel(edits)).toBe('3 pending edits · 1 conflict');
    expect(pendingEditsLabel([edits[0]!])).toBe('1 pending edit');
    expect(pendingEditsLabel([])).toBeNull();
  });

  it('lists one run edits, conflicts first, never another source run of the same id', () => {
    const mine = editsOfRun(edits, { source: 'lab', id: '1' });
    expect(mine.map((edit) => edit.field)).toEqual(['tags', 'notes']);
    expect(editsOfRun(edits, { source: 'other', id: '1' })).toHaveLength(1);
  });

  it('shows values as a reader wants them: tag lists joined, empty notes named', () => {
    expect(editValueText(['a', 'b'])).toBe('a, b');
    expect(editValueText([])).toBe('no tags');
    expect(editValueText('')).toBe('no notes');
    expect(editValueText('line 1\nline 2')).toBe('line 1\nline 2');
  });
});
