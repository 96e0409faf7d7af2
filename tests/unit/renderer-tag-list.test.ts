import { describe, expect, it } from 'vitest';
import { bulkTagSummary } from '../../renderer/src/model/bulk-tag-summary';
import {
  MAX_TAG_LENGTH,
  cleanTag,
  idsBySource,
  tagProblem,
  tagSuggestions,
  tagsText,
  withTag,
  withoutTag,
} from '../../renderer/src/model/tag-list';

const known = [
  { tag: 'baseline', runs: 12 },
  { tag: 'best', runs: 7 },
  { tag: 'rebased', runs: 3 },
  { tag: 'Best-of-sweep', runs: 2 },
  { tag: 'broken', runs: 1 },
];

describe('tag lists as the chip editors change them', () => {
  it('a typed tag is stored trimmed with single inner spaces; blank text is no tag', () => {
    expect(cleanTag('  lr   sweep \t')).toBe('lr sweep');
    expect(cleanTag('   ')).toBeNull();
    expect(cleanTag('')).toBeNull();
  });

  it('says why a tag cannot be added: empty, too long, or already on the run', () => {
    expect(tagProblem(' ', [])).toMatch(/type a tag/i);
    expect(tagProblem('x'.repeat(MAX_TAG_LENGTH + 1), [])).toMatch(/at most 256/u);
    expect(tagProblem(' best ', ['best'])).toMatch(/already there/u);
    expect(tagProblem('Best', ['best'])).toBeNull();
    expect(tagProblem('x'.repeat(MAX_TAG_LENGTH), [])).toBeNull();
  });

  it('adds at the end once and removes exactly the one tag, leaving the input lists untouched', () => {
    const tags = ['a', 'b'];
    expect(withTag(tags, 'c')).toEqual(['a', 'b', 'c']);
    expect(withTag(tags, 'a')).toEqual(['a', 'b']);
    expect(withoutTag(tags, 'a')).toEqual(['b']);
    expect(withoutTag(tags, 'A')).toEqual(['a', 'b']);
    expect(tags).toEqual(['a', 'b']);
  });

  it('suggests tags starting with the text before those containing it, most used first, none twice', () => {
    expect(tagSuggestions(known, 'be', []).map((t) => t.tag)).toEqual(['best', 'Best-of-sweep']);
    expect(tagSuggestions(known, 'BASE', []).map((t) => t.tag)).toEqual(['baseline', 'rebased']);
    expect(tagSuggestions(known, 'be', ['best']).map((t) => t.tag)).toEqual(['Best-of-sweep']);
    expect(tagSuggestions(known, 'zzz', [])).toEqual([]);
  });

  it('with nothing typed offers the most used tags, up to the limit', () => {
    expect(tagSuggestions(known, '', ['baseline'], 2).map((t) => t.tag)).toEqual([
      'best',
      'rebased',
    ]);
  });

  it('groups selected runs by source in the order the sources appear', () => {
    const groups = idsBySource([
      { source: 'lab', id: '3' },
      { source: 'disk', id: '1' },
      { source: 'lab', id: '5' },
    ]);
    expect([...groups]).toEqual([
      ['lab', ['3', '5']],
      ['disk', ['1']],
    ]);
  });

  it('writes a tag list as text for a conflict, and an empty one as "no tags"', () => {
    expect(tagsText(['a', 'b c'])).toBe('a, b c');
    expect(tagsText([])).toBe('no tags');
  });
});

describe('what "Add tag to selected runs" reports', () => {
  it('counts the tagged runs', () => {
    const text = bulkTagSummary('best', {
      edits: [{ state: 'saved' }, { state: 'saved' }],
      readOnly: new Map(),
      failed: new Map(),
    });
    expect(text).toBe('Tagged 2 runs “best”.');
  });

  it('says which runs wait for an offline source', () => {
    const text = bulkTagSummary('best', {
      edits: [{ state: 'saved' }, { state: 'pending' }],
      readOnly: new Map(),
      failed: new Map(),
    });
    expect(text).toMatch(/Tagged 2 runs “best”; 1 pending/u);
  });

  it('names read-only sources left out and how to turn their edits on, and failed sources with why', () => {
    const text = bulkTagSummary('best', {
      edits: [],
      readOnly: new Map([['lab', 1]]),
      failed: new Map([['disk', 'run 4 is RUNNING']]),
    });
    expect(text).not.toMatch(/Tagged/u);
    expect(text).toMatch(/1 run of lab left out: lab is read-only \(turn on “Allow edits”/u);
    expect(text).toMatch(/Not tagged in disk: run 4 is RUNNING/u);
  });
});
