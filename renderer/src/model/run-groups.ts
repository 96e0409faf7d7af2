import type { JsonObject } from '../../../shared/contract';
import { configLeaves, configValueAt } from '../../../shared/config-leaves';
import { compactValue } from './format';
import { varyingConfigKeys } from './varying-config-keys';

/**
 * How runs are grouped for mean ± std curves: by the value of one config key, or by the whole
 * config except one key (e.g. all but the seed: runs that differ only by seed form a group).
 */
export interface GroupBy {
  mode: 'value' | 'allBut';
  path: string;
}

export interface RunGroup {
  label: string;
  keys: string[];
}

interface GroupableRun {
  key: string;
  config: JsonObject;
}

/** Groups in order of their first run; runs without the key form a "(missing)" group. */
export function groupRuns(runs: readonly GroupableRun[], by: GroupBy): RunGroup[] {
  const groups = new Map<string, { sample: GroupableRun; keys: string[] }>();
  for (const run of runs) {
    let id: string;
    if (by.mode === 'value') {
      const value = configValueAt(run.config, by.path);
      id = value === undefined ? '\u0000missing' : JSON.stringify(value);
    } else {
      const leaves = configLeaves(run.config)
        .filter((leaf) => leaf.path !== by.path && !leaf.path.startsWith(`${by.path}.`))
        .map((leaf) => [leaf.path, leaf.value] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      id = JSON.stringify(leaves);
    }
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { sample: run, keys: [run.key] });
    else group.keys.push(run.key);
  }
  const configs = runs.map((run) => run.config);
  const telling = varyingConfigKeys(configs, 50).filter(
    (path) => path !== by.path && !path.startsWith(`${by.path}.`),
  );
  return [...groups.values()].map(({ sample, keys }) => ({
    label: groupLabel(sample.config, by, telling),
    keys,
  }));
}

function groupLabel(config: JsonObject, by: GroupBy, telling: readonly string[]): string {
  if (by.mode === 'value') {
    const value = configValueAt(config, by.path);
    return `${by.path} = ${value === undefined ? '(missing)' : compactValue(value, 40)}`;
  }
  if (telling.length === 0) return `all but ${by.path}`;
  const parts = telling.slice(0, 3).map((path) => {
    const value = configValueAt(config, path);
    return `${path}=${value === undefined ? '∅' : compactValue(value, 24)}`;
  });
  return parts.join(', ') + (telling.length > 3 ? ', …' : '');
}
