import { defineConfig } from 'vitest/config';
import base from '../../vitest.mutation.config';

// The unit tests of shared/downsample.ts, for tests/mutation/downsample.stryker.config.mjs.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'tests/unit/downsample-properties.test.ts',
      'tests/unit/cache-downsample.test.ts',
      'tests/unit/downsample-series.test.ts',
    ],
  },
});
