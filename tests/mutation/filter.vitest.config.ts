import { defineConfig } from 'vitest/config';
import base from '../../vitest.mutation.config';

// The unit tests that parse filters without a cache, for tests/mutation/filter.stryker.config.mjs.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'tests/unit/filter-grammar.test.ts',
      'tests/unit/filter-help.test.ts',
      'tests/unit/filter-parse-messages.test.ts',
      'tests/unit/filter-parse-values.test.ts',
      'tests/unit/hostile-filters.test.ts',
      'tests/unit/renderer-column-filter-edit.test.ts',
      'tests/unit/run-values-as-written.test.ts',
    ],
  },
});
