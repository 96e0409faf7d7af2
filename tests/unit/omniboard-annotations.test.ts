// A run's tags and notes as Omniboard shows them (issue 15): its own fields win even emptied,
// else Sacred's config.tags (a list or a comma-separated string) and meta.comment.
import { describe, expect, it } from 'vitest';
import { omniboardNotes, omniboardTags } from '../../main/core/writes/omniboard-annotations';

describe('omniboardTags', () => {
  it('prefers omniboard.tags, even empty, over config.tags', () => {
    const config = { tags: ['from-config'] };
    expect(omniboardTags({ omniboard: { tags: ['a', 'b'] }, config })).toEqual(['a', 'b']);
    expect(omniboardTags({ omniboard: { tags: [] }, config })).toEqual([]);
    expect(omniboardTags({ omniboard: { notes: 'n' }, config })).toEqual(['from-config']);
  });

  it('reads config.tags as a list or a comma-separated string, skipping non-strings', () => {
    expect(omniboardTags({ config: { tags: 'a,b' } })).toEqual(['a', 'b']);
    expect(omniboardTags({ config: { tags: '' } })).toEqual([]);
    expect(omniboardTags({ config: { tags: ['x', 3, null, 'y'] } })).toEqual(['x', 'y']);
    // A run folder keeps its config apart, in config.json.
    expect(omniboardTags({ status: 'COMPLETED' }, { tags: ['f'] })).toEqual(['f']);
    expect(omniboardTags(null)).toEqual([]);
  });
});

describe('omniboardNotes', () => {
  it('prefers omniboard.notes, even emptied, over the Sacred comment', () => {
    const meta = { comment: 'sacred' };
    expect(omniboardNotes({ omniboard: { notes: 'mine' }, meta })).toBe('mine');
    expect(omniboardNotes({ omniboard: { notes: '' }, meta })).toBe('');
    expect(omniboardNotes({ meta })).toBe('sacred');
    expect(omniboardNotes({ comment: 'sacred 0.6' })).toBe('sacred 0.6');
    expect(omniboardNotes({})).toBe('');
  });
});
