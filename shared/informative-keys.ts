import type { JsonValue } from './contract';
import { configLeaves } from './config-leaves';

/** What is known of one config key over a set of runs. */
export interface KeyStats {
  /** The key's path (`optimizer.lr`, or a column id such as `config.optimizer.lr`). */
  path: string;
  /** Distinct values among the runs that have the key (a runs-without-it group not counted). */
  distinct: number;
  /** Runs that have the key. */
  present: number;
  /**
   * Shannon entropy (bits) of the key's values over all runs, "missing" counted as a value;
   * unknown (a catalog keeps distinct counts only): log2(distinct) is used as its bound.
   */
  entropy?: number;
}

export interface RankOptions {
  /** Keys held by fewer than this share of the runs are left out (a mostly blank column). */
  minCoverage?: number;
  limit?: number;
}

/** Runs it takes before a key with a new value in each is taken for a per-run value. */
export const PER_RUN_EVIDENCE = 10;

/** Sacred adds `seed` to every config itself, drawn at random unless the user gives one. */
export function isSacredSeed(path: string): boolean {
  return path === 'seed' || path === 'config.seed';
}

/**
 * The keys that tell these runs apart, most informative first: the rule behind the run
 * table's default columns, the default axes of parallel coordinates and plot labels.
 *
 * 1. A key must vary: two or more distinct values, or set in some runs and not in others.
 * 2. Keys whose values repeat across runs are what a sweep looks like (a grid over tau and
 *    N gives each value to many runs). A key with a new value in every run (Sacred's random
 *    seed, an output path, a timestamp, a random-search draw) tells runs apart but not what
 *    was tried: such keys are left out when any swept key exists, as an axis or a column of
 *    them is noise. Among fewer than PER_RUN_EVIDENCE runs a sweep need not repeat any value
 *    (three runs of tau = 1, 2, 3), so there no key counts as per-run.
 * 3. Within each tier, more information first: the entropy of the key's values (or its
 *    bound from the distinct count) weighted by the share of runs holding it; then the
 *    order given (a config's own key order, a catalog's by name).
 * 4. Sacred's own `seed` is left out when any other key varies: it differs per run by
 *    construction, so as a column, an axis or in a label it is noise.
 */
export function rankInformativeKeys(
  stats: readonly KeyStats[],
  runCount: number,
  options: RankOptions = {},
): string[] {
  const minCoverage = options.minCoverage ?? 0;
  const limit = options.limit ?? Infinity;
  const candidates = stats.filter((key) => {
    if (runCount <= 1 || key.present <= 0) return false;
    if (key.present < minCoverage * runCount) return false;
    return key.distinct >= 2 || key.present < runCount;
  });
  const coverage = (key: KeyStats): number => Math.min(1, key.present / runCount);
  const information = (key: KeyStats): number =>
    (key.entropy ?? Math.log2(Math.max(1, key.distinct))) * coverage(key);
  const perRun = (key: KeyStats): boolean =>
    key.present >= PER_RUN_EVIDENCE && key.distinct >= key.present;
  const swept = candidates.filter((key) => !perRun(key));
  const kept = swept.length > 0 ? swept : candidates;
  const withoutSeed = kept.filter((key) => !isSacredSeed(key.path));
  const ordered = (withoutSeed.length > 0 ? withoutSeed : kept).sort(
    (a, b) =>
      Number(perRun(a)) - Number(perRun(b)) ||
      Number(isSacredSeed(a.path)) - Number(isSacredSeed(b.path)) ||
      information(b) - information(a) ||
      coverage(b) - coverage(a),
  );
  return ordered.slice(0, limit).map((key) => key.path);
}

/** Exact key statistics of a few runs' configs (leaf paths as configLeaves gives them). */
export function configKeyStats(configs: readonly JsonValue[]): KeyStats[] {
  const tallies = new Map<string, Map<string, number>>();
  const order: string[] = [];
  for (const config of configs) {
    for (const leaf of configLeaves(config)) {
      let tally = tallies.get(leaf.path);
      if (tally === undefined) {
        tally = new Map();
        tallies.set(leaf.path, tally);
        order.push(leaf.path);
      }
      const text = JSON.stringify(leaf.value);
      tally.set(text, (tally.get(text) ?? 0) + 1);
    }
  }
  const total = configs.length;
  return order.map((path) => {
    const tally = tallies.get(path) ?? new Map<string, number>();
    const counts = [...tally.values()];
    const present = counts.reduce((sum, n) => sum + n, 0);
    if (present < total) counts.push(total - present);
    let entropy = 0;
    for (const n of counts) {
      const p = n / total;
      entropy -= p * Math.log2(p);
    }
    return { path, distinct: tally.size, present, entropy };
  });
}

/** The keys telling these configs apart, most informative first (see rankInformativeKeys). */
export function informativeConfigKeys(configs: readonly JsonValue[], limit?: number): string[] {
  return rankInformativeKeys(
    configKeyStats(configs),
    configs.length,
    limit === undefined ? {} : { limit },
  );
}
