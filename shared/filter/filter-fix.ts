import { isMetricAggregate } from './column-catalog';
import type { ColumnPath, FilterError } from './filter-ast';
import { FilterScanner } from './filter-scanner';
import { formatColumnPath } from './format-filter';

/** A corrected filter text and the question that offers it ("did you mean config.tau?"). */
export interface FilterFix {
  message: string;
  /** The whole filter text with the fix applied. */
  text: string;
  /** The column id put in place of the wrong one. */
  column: string;
}

/** Roots tried for a bare key, in the order a researcher most likely meant them. */
const ROOT_ORDER = ['config', 'info', 'result', 'meta', 'host', 'experiment'] as const;

/** The column path written at `position` and where it ends, or null when none is there. */
function pathAt(text: string, position: number): { path: ColumnPath; end: number } | null {
  const scanner = new FilterScanner(text);
  scanner.pos = position;
  try {
    const root = scanner.identifier();
    if (root === null) return null;
    const path: ColumnPath = [root];
    while (text[scanner.pos] === '.') {
      scanner.pos++;
      const segment = scanner.segment();
      if (segment === null) break;
      path.push(segment);
    }
    return { path, end: scanner.pos };
  } catch {
    return null;
  }
}

function fix(text: string, start: number, end: number, path: ColumnPath): FilterFix {
  const column = formatColumnPath(path);
  return {
    message: `did you mean ${column}?`,
    text: text.slice(0, start) + column + text.slice(end),
    column,
  };
}

/**
 * The likely fix of a filter that does not parse, or null when there is no good guess:
 * a key without its root (`tau > 1` → `config.tau`, or wherever the listed runs hold `tau`),
 * a metric name with dots (`metrics.train.loss.last` → `metrics."train.loss".last`), a metric
 * without its summary (`metrics.loss` → `metrics.loss.last`).
 * `known` are the column ids of the listed runs, when the caller has them.
 */
export function suggestFilterFix(
  text: string,
  error: FilterError,
  known: readonly string[] = [],
): FilterFix | null {
  const found = pathAt(text, error.position);
  if (found === null) return null;
  const { path, end } = found;
  const [root, ...rest] = path;
  if (root === undefined) return null;
  const knownSet = new Set(known);

  if (error.message.startsWith('unknown column')) {
    for (const candidateRoot of ROOT_ORDER) {
      const candidate = [candidateRoot, ...path];
      if (knownSet.has(formatColumnPath(candidate)))
        return fix(text, error.position, end, candidate);
    }
    const metric = ['metrics', path.join('.'), 'last'];
    if (knownSet.has(formatColumnPath(metric))) return fix(text, error.position, end, metric);
    // Nothing known: config is where a run's settings are.
    return fix(text, error.position, end, ['config', ...path]);
  }

  if (root === 'metrics' && rest.length > 0) {
    const last = rest[rest.length - 1] as string;
    const summaryGiven = rest.length >= 2 && isMetricAggregate(last);
    const name = (summaryGiven ? rest.slice(0, -1) : rest).join('.');
    const summary = summaryGiven ? last : 'last';
    const candidate = ['metrics', name, summary];
    if (formatColumnPath(candidate) === formatColumnPath(path)) return null;
    if (known.length > 0 && !knownSet.has(formatColumnPath(['metrics', name, 'last']))) {
      // The dotted name is no metric of these runs: perhaps the last segment is a typo'd
      // summary of a metric named by the others.
      const shorter = ['metrics', rest.slice(0, -1).join('.'), 'last'];
      if (rest.length >= 2 && knownSet.has(formatColumnPath(shorter))) {
        return fix(text, error.position, end, shorter);
      }
    }
    return fix(text, error.position, end, candidate);
  }
  return null;
}
