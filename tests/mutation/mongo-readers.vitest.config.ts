import { defineConfig } from 'vitest/config';
import base from '../../vitest.mutation.config';

// The unit tests of main/core/mongo/read-mongo-run.ts and mongo-metrics.ts, for
// tests/mutation/mongo-readers.stryker.config.mjs. Left out: tests/unit/mongo-sync-rules.test.ts,
// which reaches both through whole syncs into a cache (a surviving mutant re-ran it at about
// 20 s a time); mongo-metric-fetch.test.ts calls fetchRunMetrics against the same in-process
// test server directly.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'tests/unit/mongo-read-run.test.ts',
      'tests/unit/mongo-read-run-edges.test.ts',
      'tests/unit/mongo-read-recorded-runs.test.ts',
      'tests/unit/mongo-read-bson-values.test.ts',
      'tests/unit/mongo-metric-values.test.ts',
      'tests/unit/mongo-metric-fetch.test.ts',
      'tests/unit/mongo-raw-metric-document.test.ts',
      'tests/unit/run-values-as-written.test.ts',
    ],
  },
});
