import type { AltarApi, RunDetail, RunKey } from '../../../shared/contract';
import { runKeyString } from './run-values';

/** A run of a plot: its detail, or why it could not be read (shown beside the plot). */
export type PlotRunDetail = { key: string; run: RunDetail } | { key: string; failed: string };

/**
 * The details of a plot's runs, in the order given: those already loaded (the open run) as
 * they are, every other one in ONE getRuns call (one getRun per run made a 20-run plot wait
 * on 20 requests before its first points; issue 13). A run the core cannot read carries its
 * error's message and the others still plot; a failed call rejects.
 */
export async function loadPlotRunDetails(
  getRuns: AltarApi['getRuns'],
  runs: readonly RunKey[],
  known: readonly RunDetail[] = [],
): Promise<PlotRunDetail[]> {
  const have = new Map(known.map((run) => [runKeyString(run), run]));
  const missing = runs.filter((key) => !have.has(runKeyString(key)));
  const answers =
    missing.length === 0
      ? []
      : (await getRuns({ runs: missing.map(({ source, id }) => ({ source, id })) })).runs;
  const failures = new Map<string, string>();
  missing.forEach((key, i) => {
    const entry = answers[i];
    if (entry === undefined) failures.set(runKeyString(key), 'The run was not answered.');
    else if ('error' in entry) failures.set(runKeyString(key), entry.error.message);
    else have.set(runKeyString(key), entry);
  });
  return runs.map((key): PlotRunDetail => {
    const id = runKeyString(key);
    const run = have.get(id);
    return run !== undefined ? { key: id, run } : { key: id, failed: failures.get(id) ?? '' };
  });
}
