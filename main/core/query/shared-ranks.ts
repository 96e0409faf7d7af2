import type { Column } from './column';

/**
 * Dictionary ranks that compare across sources: each source's column has its own dictionary,
 * so its ranks only order its own strings. Merges the sorted dictionaries (each already
 * sorted once per column) and gives equal strings the same rank everywhere.
 */
export function sharedRanks(columns: readonly Column[]): Int32Array[] {
  // No source selected (or none added yet): nothing to rank.
  if (columns.length === 0) return [];
  if (columns.length === 1) return [(columns[0] as Column).ranks()];
  const sorted = columns.map((column) => {
    const ranks = column.ranks();
    const order = new Int32Array(ranks.length);
    for (let code = 0; code < ranks.length; code++) order[ranks[code] as number] = code;
    return order;
  });
  const out = columns.map((column) => new Int32Array(column.dict.length));
  const textOrder = (columns[0] as Column).textOrder;
  const at = new Int32Array(columns.length);
  let rank = -1;
  let previous: string | null = null;
  for (;;) {
    let best = -1;
    let bestText = '';
    for (let c = 0; c < columns.length; c++) {
      const order = sorted[c] as Int32Array;
      const i = at[c] as number;
      if (i >= order.length) continue;
      const text = (columns[c] as Column).dict[order[i] as number] as string;
      if (best < 0 || textOrder(text, bestText) < 0) {
        best = c;
        bestText = text;
      }
    }
    if (best < 0) break;
    if (previous === null || bestText !== previous) rank++;
    previous = bestText;
    const i = at[best] as number;
    (out[best] as Int32Array)[(sorted[best] as Int32Array)[i] as number] = rank;
    at[best] = i + 1;
  }
  return out;
}
