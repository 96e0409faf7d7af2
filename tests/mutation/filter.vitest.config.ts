import { defineConfig } from 'vitest/config';
import base from '../../vitest.mutation.config';

// The parser's own unit tests, for tests/mutation/filter.stryker.config.mjs. Other unit tests
// parse filters too (the filter box's suggestions and fixes, the column filter editor, run
// ids and statuses), but each file a mutant's tests live in is run again for that mutant, and
// on the shared machine seven files went at 7 mutants a minute.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'tests/unit/filter-grammar.test.ts',
      'tests/unit/filter-parse-messages.test.ts',
      'tests/unit/filter-parse-values.test.ts',
      'tests/unit/filter-parse-edges.test.ts',
      'tests/unit/hostile-filters.test.ts',
    ],
  },
});
