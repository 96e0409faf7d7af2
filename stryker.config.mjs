// Mutation testing (`npm run test:mutation`, not part of `npm test`): Stryker plants small bugs
// in the modules where a silent bug costs most and runs the vitest tests related to each one;
// a mutant that no test notices is a hole in the suite. Incremental: the results are kept in
// reports/stryker-incremental.json and a second run tests only mutants in changed code or
// covered by changed tests. One module: `npm run test:mutation -- --mutate shared/downsample.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: [
    // the filter language
    'shared/filter/parse-filter.ts',
    'shared/filter/filter-scanner.ts',
    'main/core/query/evaluate-filter.ts',
    // the folder and MongoDB readers
    'main/core/folder/*.ts',
    'main/core/mongo/read-mongo-run.ts',
    'main/core/mongo/mongo-metrics.ts',
    // sync change detection
    'main/core/mongo/sync-mongo-source.ts',
    'main/core/sync/sync-folder-source.ts',
    // redaction
    'main/core/mongo/redact.ts',
    'main/cli/known-secrets.ts',
    // the path checks
    'main/hosts/static-files.ts',
    'main/core/raw-data/find-local-file.ts',
    'main/core/raw-data/local-path-candidates.ts',
    // migrations
    'main/core/cache/migrations.ts',
    // metric summaries and downsampling
    'main/core/cache/metric-summary.ts',
    'main/core/cache/metric-means.ts',
    'shared/downsample.ts',
    // the probably-dead rule
    'shared/probably-dead.ts',
  ],
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  // Two cores shared with others: one test process at a time.
  concurrency: 1,
  timeoutMS: 60_000,
  tempDirName: '.stryker-tmp',
  // Not copied into the sandbox: build output, the Omniboard install and what e2e runs leave
  // behind. None of it is read by the unit tests, and other engineers' runs change it mid-copy.
  ignorePatterns: [
    '/dist',
    '/release',
    '/coverage',
    '/test-results',
    '/playwright-report',
    '/.altar-dev-data',
    '/.cache',
    '*.log',
    // Other runs' sandboxes, when several run at once each in its own .stryker-tmp/<name>.
    '/.stryker-tmp',
  ],
  cleanTempDir: 'always',
};
