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
  },
});
