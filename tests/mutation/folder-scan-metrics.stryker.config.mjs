// scan-run-dirs.ts and read-metrics-file.ts measured with the tests that call them directly
// (issue 18): `nice -n 19 npx stryker run tests/mutation/folder-scan-metrics.stryker.config.mjs --mutate main/core/folder/read-metrics-file.ts,main/core/folder/scan-run-dirs.ts --timeoutMS 10000 --ignoreStatic`.
// With folder.stryker.config.mjs (every folder unit test, 143 tests, ~50 s) each of their 748
// mutants re-ran the read-run-dir edge tests too: about 5 mutants a minute, hours in all. A
// score from these tests alone is a lower bound of what the whole unit suite catches.
import base from '../../stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'tests/mutation/folder-scan-metrics.vitest.config.ts', related: false },
};
