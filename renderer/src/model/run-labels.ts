import type { JsonValue } from '../../../shared/contract';
import { configValueAt } from '../../../shared/config-leaves';
import { compactValue } from './format';
import { informativeConfigKeys } from '../../../shared/informative-keys';

export interface LabelledRun {
  key: string;
  source: string;
  id: string;
  config: JsonValue;
}

/** Keys named in a label: enough to tell a sweep's runs apart, short enough for a legend. */
export const LABEL_KEYS = 3;

/** `#9`, or `lab/9` when the runs come from several sources. */
export function runIdLabel(run: { source: string; id: string }, multiSource: boolean): string {
  return multiSource ? `${run.source}/${run.id}` : `#${run.id}`;
}

/**
 * Each run named by what differs between these runs, e.g. `tau=2 N=1000`: the most
 * informative config keys (informative-keys.ts) with their values, a key by its last segment
 * unless two chosen keys share it. Runs the keys cannot tell apart (or a lone run) also get
 * their id, so no two labels are the same.
 */
export function differenceLabels(
  runs: readonly LabelledRun[],
  maxKeys = LABEL_KEYS,
): Map<string, string> {
  const multiSource = new Set(runs.map((run) => run.source)).size > 1;
  const labels = new Map<string, string>();
  if (runs.length < 2) {
    for (const run of runs) labels.set(run.key, runIdLabel(run, multiSource));
    return labels;
  }
  const keys = informativeConfigKeys(
    runs.map((run) => run.config),
    maxKeys,
  );
  const lastSegment = (path: string): string => path.split('.').at(-1) ?? path;
  const names = keys.map((path) =>
    keys.filter((other) => lastSegment(other) === lastSegment(path)).length > 1
      ? path
      : lastSegment(path),
  );
  const parts = new Map<string, string>();
  for (const run of runs) {
    const text = keys
      .map((path, i) => {
        const value = configValueAt(run.config, path);
        return value === undefined ? null : `${names[i] ?? path}=${compactValue(value, 24)}`;
      })
      .filter((part): part is string => part !== null)
      .join(' ');
    parts.set(run.key, text);
  }
  const uses = new Map<string, number>();
  for (const text of parts.values()) uses.set(text, (uses.get(text) ?? 0) + 1);
  for (const run of runs) {
    const text = parts.get(run.key) ?? '';
    const id = runIdLabel(run, multiSource);
    labels.set(run.key, text === '' ? id : (uses.get(text) ?? 0) > 1 ? `${text} ${id}` : text);
  }
  return labels;
}
