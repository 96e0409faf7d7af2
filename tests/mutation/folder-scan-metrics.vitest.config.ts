import { defineConfig } from 'vitest/config';
import base from '../../vitest.mutation.config';

// For tests/mutation/folder-scan-metrics.stryker.config.mjs: the unit tests of the run folder
// scan and the metrics.json reader, the broken runs and the real Sacred sample folders. Not the
// 200k-point read: under Stryker's instrumentation it took ~30 s, re-run by nearly every mutant
// of read-metrics-file.ts (hours in all); "the same points for every chunk size" covers tokens
// straddling chunk edges on small files.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'tests/unit/folder-scan-run-dirs*.test.ts',
      'tests/unit/folder-metrics-file.test.ts',
      'tests/unit/folder-metrics-file-edges.test.ts',
      'tests/unit/folder-broken-runs.test.ts',
      'tests/unit/folder-samples.test.ts',
    ],
    testNamePattern: /^(?!.*reads 200k points)/u,
  },
});
