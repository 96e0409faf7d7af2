/**
 * A run's tags and notes as Omniboard shows them (runsTable.js `_parseRunsResponseData`):
 * `omniboard.tags` when the run has it (even empty), else `config.tags` (a list, or a
 * comma-separated string); `omniboard.notes` when set (even empty), else `meta.comment`
 * (Sacred's `--comment`), else the top-level `comment` of Sacred 0.6 runs. Our readers (MongoDB
 * documents and run.json files alike) and the conflict check of pending edits use it, so both
 * sides of a comparison read the same way.
 */
type Dict = Record<string, unknown>;

function asDict(value: unknown): Dict | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Dict)
    : null;
}

/** `config` defaults to the run's own; a run folder keeps it apart, in config.json. */
export function omniboardTags(run: unknown, config: unknown = asDict(run)?.config): string[] {
  const omniboard = asDict(asDict(run)?.omniboard);
  if (omniboard !== null && 'tags' in omniboard) return stringsOf(omniboard.tags);
  const configTags = asDict(config)?.tags;
  if (typeof configTags === 'string') {
    return configTags.length > 0 ? configTags.split(',') : [];
  }
  return stringsOf(configTags);
}

/** The run's notes, '' when none (an emptied Omniboard notes field hides meta.comment). */
export function omniboardNotes(run: unknown): string {
  const doc = asDict(run);
  const omniboard = asDict(doc?.omniboard);
  if (omniboard !== null && 'notes' in omniboard) {
    return typeof omniboard.notes === 'string' ? omniboard.notes : '';
  }
  const comment = asDict(doc?.meta)?.comment ?? doc?.comment;
  return typeof comment === 'string' ? comment : '';
}

/** Only the strings of a list: Omniboard's chips skip anything else. */
function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
