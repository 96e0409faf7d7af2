import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/{unit,contract,integration}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Files run in a new order each time (the seed is printed at the start; `npx vitest run
    // --sequence.seed=N` replays an order). Tests inside a file keep their order for now: some
    // older files still tell one story over one server; `--sequence.shuffle.tests` finds them.
    sequence: { shuffle: { files: true, tests: false } },
  },
});
