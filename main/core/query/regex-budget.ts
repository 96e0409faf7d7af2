import type { FilterRegex } from '../../../shared/filter';
import { AltarError } from '../../../shared/errors';

/**
 * How long one regex condition may test values on one source before the query is refused.
 * Queries run on the core's thread, so this is also how long the regex can hold up the
 * requests of other windows and clients; RE2 keeps ordinary patterns far below it.
 */
export const REGEX_TIME_BUDGET_MS = 1000;

/**
 * The most work one test may take, as RE2 counts it (program size × text length): a test
 * cannot be interrupted, so a big pattern over a very long text is refused before it starts.
 * About half a second in RE2's slowest mode.
 */
export const REGEX_TEST_COST_LIMIT = 30_000_000;

export interface RegexBudgetOptions {
  /** What the user wrote, for the message: `/pattern/flags`. */
  shown: string;
  budgetMs?: number;
  costLimit?: number;
  clock?: () => number;
}

/**
 * The regex's test, refusing with INVALID_ARGUMENT (a usage error on every door) once it has
 * spent its time budget or when one text is too long for the pattern's size.
 */
export function budgetedRegexTest(
  regex: FilterRegex,
  options: RegexBudgetOptions,
): (text: string) => boolean {
  const clock = options.clock ?? (() => performance.now());
  const budgetMs = options.budgetMs ?? REGEX_TIME_BUDGET_MS;
  const costLimit = options.costLimit ?? REGEX_TEST_COST_LIMIT;
  const started = clock();
  let tested = 0;
  return (text) => {
    if (regex.size * (text.length + 1) > costLimit) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        `where: the regular expression ${options.shown} is too complex for a text of ` +
          `${text.length} characters: simplify it, or filter that column with contains`,
      );
    }
    if (clock() - started > budgetMs) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        `where: the regular expression ${options.shown} took more than ` +
          `${budgetMs / 1000} s over ${tested} values and was stopped: simplify it`,
      );
    }
    tested++;
    return regex.test(text);
  };
}
