import { tagsText } from './tag-list';

type EditValue = readonly string[] | string;

/** A pending edit's value for reading: a tag list as "a, b", notes as written ("no notes"). */
export function editValueText(value: EditValue): string {
  if (typeof value !== 'string') return tagsText(value);
  return value === '' ? 'no notes' : value;
}

/** The field as a user names it. */
export function editFieldName(field: 'tags' | 'notes'): string {
  return field === 'tags' ? 'Tags' : 'Notes';
}

/** "2 pending edits · 1 conflict", or null when there is nothing waiting. */
export function pendingEditsLabel(
  edits: readonly { state: 'pending' | 'conflict' }[],
): string | null {
  const conflicts = edits.filter((edit) => edit.state === 'conflict').length;
  const pending = edits.length - conflicts;
  const parts: string[] = [];
  if (pending > 0) parts.push(`${pending} pending edit${pending === 1 ? '' : 's'}`);
  if (conflicts > 0) parts.push(`${conflicts} conflict${conflicts === 1 ? '' : 's'}`);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** The edits of one run, conflicts first. */
export function editsOfRun<T extends { source: string; id: string; state: 'pending' | 'conflict' }>(
  edits: readonly T[],
  run: { source: string; id: string },
): T[] {
  return edits
    .filter((edit) => edit.source === run.source && edit.id === run.id)
    .sort((a, b) => (a.state === b.state ? 0 : a.state === 'conflict' ? -1 : 1));
}
