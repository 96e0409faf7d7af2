/**
 * `npx tsx tests/bench/sort-rank-bench.ts [--runs N] [--iterations K]`: the run table's
 * recomputed single-column sort, in one process on the same columns, interleaved so that both
 * see the same machine load: the counting pass over ranks kept per column (column-sort-rank.ts,
 * what the engine does now) against the 64-bit radix sort it replaced (sort-rows.ts, 5 passes
 * of 16 bits over keys filled per sort). Columns of N runs in two sources (70/30): numbers
 * (all distinct), free text (all distinct) and a few repeated values. Median of K each.
 */
import { parseArgs } from 'node:util';
import { Column } from '../../main/core/query/column';
import { sharedSortRanks, sortByRanks, sortRankOf } from '../../main/core/query/column-sort-rank';
import { sharedRanks } from '../../main/core/query/shared-ranks';
import { fillSortKey, newSortKey, sortByKeys } from '../../main/core/query/sort-rows';
import { SeededRandom } from '../../main/core/demo/seeded-random';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function time(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

type Fill = (column: Column, row: number, random: SeededRandom) => void;

const KINDS: [string, Fill][] = [
  ['numbers (all distinct)', (c, row, r) => c.setNumber(row, r.float(-1e3, 1e3))],
  ['free text (all distinct)', (c, row, r) => c.setString(row, `run-${r.int(0, 1e9)}-${row}`)],
  ['few values (lr grid)', (c, row, r) => c.setNumber(row, r.pick([1e-4, 3e-4, 1e-3, 3e-3]))],
];

export function runSortRankBench(runs: number, iterations: number): string[] {
  const lines = [
    `recomputed sort of one column, ${runs} runs in 2 sources, median of ${iterations}`,
    '| column | radix over 64-bit keys (before) | counting pass over kept ranks | speedup | first use: ranks per column + merged across sources |',
    '|---|---|---|---|---|',
  ];
  const random = new SeededRandom(7);
  for (const [name, fill] of KINDS) {
    const sizes = [Math.ceil(runs * 0.7), runs - Math.ceil(runs * 0.7)];
    const columns = sizes.map((size) => {
      const column = new Column(size);
      for (let row = 0; row < size; row++) if (random.int(0, 19) > 0) fill(column, row, random);
      column.dropLookup();
      return column;
    });
    const segOf = new Uint16Array(runs);
    const rowOf = new Uint32Array(runs);
    let at = 0;
    sizes.forEach((size, s) => {
      for (let row = 0; row < size; row++, at++) {
        segOf[at] = s;
        rowOf[at] = row;
      }
    });
    const radix = (desc: boolean): Uint32Array => {
      // As the engine did per recomputed sort: shared dictionary ranks, keys, 5 radix passes.
      const ranks = sharedRanks(columns);
      const key = newSortKey(runs);
      let from = 0;
      sizes.forEach((size, s) => {
        fillSortKey(
          key,
          from,
          columns[s] as Column,
          rowOf.subarray(from, from + size),
          size,
          desc,
          ranks[s] ?? null,
        );
        from += size;
      });
      return sortByKeys([key], runs);
    };
    const built = time(() => columns.forEach((column) => sortRankOf(column)));
    let shared = sharedSortRanks(columns);
    const merged = time(() => (shared = sharedSortRanks(columns)));
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const desc = i % 2 === 0;
      before.push(time(() => radix(desc)));
      after.push(time(() => sortByRanks(columns, shared, segOf, rowOf, desc)));
    }
    const b = median(before);
    const a = median(after);
    lines.push(
      `| ${name} | ${b.toFixed(1)} ms | ${a.toFixed(1)} ms | ${(b / a).toFixed(1)}× | ${built.toFixed(0)} + ${merged.toFixed(0)} ms |`,
    );
  }
  return lines;
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '100000' },
      iterations: { type: 'string', default: '21' },
    },
  });
  console.log(runSortRankBench(Number(values.runs), Number(values.iterations)).join('\n'));
}
