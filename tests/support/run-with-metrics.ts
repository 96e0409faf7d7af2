import { emptyParsedRun } from '../../main/core/folder/empty-parsed-run';
import type { ParsedRun } from '../../main/core/folder/parsed-run';

/** A RUNNING run holding these metrics, steps 0, 1, 2… (timestamps the same numbers). */
export function runWithMetrics(id: string, metrics: Record<string, Float64Array>): ParsedRun {
  const run = emptyParsedRun(id, 'RUNNING');
  for (const [name, values] of Object.entries(metrics)) {
    const steps = new Float64Array(values.length).map((_, i) => i);
    run.metrics.push({ name, steps, values, timestamps: steps });
  }
  return run;
}
