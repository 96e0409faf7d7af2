// The filter language's parser and scanner measured with their own unit tests only (issue 18):
// `nice -n 19 npx stryker run tests/mutation/filter.stryker.config.mjs --mutate shared/filter/parse-filter.ts,shared/filter/filter-scanner.ts --timeoutMS 10000 --ignoreStatic`
// (plus --tempDirName/--incrementalFile of your own when others run Stryker too).
// With the whole unit suite, every mutant the run-table tests reach re-runs the 300-filter
// oracle test against a cache (run-table-query.test.ts), a few mutants a minute on the shared
// 2-core machine. A score from these tests alone is a lower bound of what the suite catches.
import base from '../../stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'tests/mutation/filter.vitest.config.ts', related: false },
};
