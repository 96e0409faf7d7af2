import { defineConfig } from 'vitest/config';
import base from '../../vitest.mutation.config';

// For tests/mutation/folder-scan-metrics.stryker.config.mjs: the unit tests of the run folder
// scan and the metrics.json reader, the broken runs and the real Sacred sample folders.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'tests/unit/folder-scan-run-dirs*.test.ts',
      'tests/unit/folder-metrics-file.test.ts',
      'tests/unit/folder-broken-runs.test.ts',
      'tests/unit/folder-samples.test.ts',
    ],
  },
});
