import type { JsonObject } from '../../../shared/contract';
import { configLeaves } from '../../../shared/config-leaves';

/** Paths that make poor columns: different in every run and meaningless to compare. */
const NOISY = new Set(['seed']);

/**
 * The config leaf paths whose value differs between the given runs (a path missing from some
 * runs counts as differing), in order of first appearance, noisy paths last, at most `limit`.
 * These are the columns that tell runs apart; constant keys would only repeat themselves.
 */
export function varyingConfigKeys(configs: readonly JsonObject[], limit = 8): string[] {
  if (configs.length < 2) return [];
  const first = new Map<string, string>();
  const counts = new Map<string, number>();
  const varying = new Set<string>();
  for (const config of configs) {
    for (const leaf of configLeaves(config)) {
      const text = JSON.stringify(leaf.value);
      const seen = first.get(leaf.path);
      if (seen === undefined) first.set(leaf.path, text);
      else if (seen !== text) varying.add(leaf.path);
      counts.set(leaf.path, (counts.get(leaf.path) ?? 0) + 1);
    }
  }
  for (const [path, count] of counts) if (count < configs.length) varying.add(path);
  const ordered = [...first.keys()].filter((path) => varying.has(path));
  const quiet = ordered.filter((path) => !NOISY.has(path));
  const noisy = ordered.filter((path) => NOISY.has(path));
  return [...quiet, ...noisy].slice(0, limit);
}
