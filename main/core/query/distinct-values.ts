import type { DistinctValues, JsonValue } from '../../../shared/contract';
import { Kind, compareText } from './column';
import type { Column } from './column';
import { evaluateFilter } from './evaluate-filter';
import type { QueryEngine, ResolvedColumn, RunQuery } from './query-engine';

interface Tally {
  value: JsonValue;
  text: string;
  count: number;
}

/**
 * The values of one column over the runs matching a filter, most frequent first: what a
 * string picker offers. List columns count each element.
 */
export function distinctValues(
  engine: QueryEngine,
  column: ResolvedColumn,
  query: RunQuery & { search?: string | undefined; limit?: number | undefined },
  nowMs: number,
): DistinctValues {
  const sources = engine.resolveSources(query.sources);
  const where = engine.resolveWhere(query.where, engine.index.segmentsOf(sources));
  const tallies = new Map<string, Tally>();
  const add = (value: JsonValue, count = 1): void => {
    const key = typeof value === 'string' ? `s${value}` : JSON.stringify(value);
    const tally = tallies.get(key);
    if (tally === undefined) {
      tallies.set(key, {
        value,
        text: typeof value === 'string' ? value : JSON.stringify(value),
        count,
      });
    } else tally.count += count;
  };
  for (const segment of engine.index.segmentsOf(sources)) {
    const get = engine.getter(segment, nowMs);
    const mask = where === null ? null : evaluateFilter(where, segment.length, get);
    const values: Column = get(column.path);
    const codeCounts = new Map<number, number>();
    for (let i = 0; i < segment.length; i++) {
      if (mask !== null && mask[i] === 0) continue;
      const kind = values.kinds[i];
      if (kind === Kind.Missing) continue;
      if (kind === Kind.String || kind === Kind.List || kind === Kind.Object) {
        const code = values.code(i);
        codeCounts.set(code, (codeCounts.get(code) ?? 0) + 1);
      } else add(values.jsonValue(i) as JsonValue);
    }
    for (const [code, count] of codeCounts) {
      const text = values.dict[code] as string;
      const kind = values.codeKinds()[code];
      if (kind === Kind.List) {
        for (const item of new Set(
          (JSON.parse(text) as JsonValue[]).map((v) => JSON.stringify(v)),
        )) {
          add(JSON.parse(item) as JsonValue, count);
        }
      } else if (kind === Kind.Object) add(JSON.parse(text) as JsonValue, count);
      else add(text, count);
    }
  }
  const search = query.search?.toLowerCase() ?? '';
  const all = [...tallies.values()].filter(
    (tally) => search === '' || tally.text.toLowerCase().includes(search),
  );
  all.sort((a, b) => b.count - a.count || compareText(a.text, b.text));
  const limit = query.limit ?? 200;
  return {
    values: all.slice(0, limit).map(({ value, count }) => ({ value, count })),
    distinct: all.length,
    complete: all.length <= limit,
  };
}
