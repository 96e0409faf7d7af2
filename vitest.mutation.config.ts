import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// What Stryker runs for each mutant (stryker.config.mjs): the unit tests only. The integration
// tests start servers and child processes; on a shared 2-core machine a mutation run over them
// would take hours. A module's score is therefore what its unit tests catch.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    sequence: { shuffle: false },
    // Stryker's instrumented code runs several times slower than the plain code, on a machine
    // others share: the 300-filter oracle test passed 30 s in the initial run.
    testTimeout: 120_000,
  },
});
