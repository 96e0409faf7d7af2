import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/{unit,contract,integration}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Tests start the CLI bundled once per run (tests/support/cli-command.ts), not through tsx.
    globalSetup: ['tests/support/cli-bundle.global.ts'],
    // Every test owns its data: files, and the tests inside each file, run in a new order each
    // time. The seed is printed at the start ("Running tests with seed N"); `npx vitest run
    // --sequence.seed=N` replays that order.
    sequence: { shuffle: true },
  },
});
