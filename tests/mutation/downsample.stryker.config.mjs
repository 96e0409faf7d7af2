// shared/downsample.ts measured with its own unit tests only (issue 18):
// `nice -n 10 npx stryker run tests/mutation/downsample.stryker.config.mjs --mutate shared/downsample.ts --timeoutMS 10000 --ignoreStatic`
// (plus --tempDirName/--incrementalFile of your own when others run Stryker too).
// Every unit test that writes metrics also reaches downsample.ts, through the cache's chunk
// digests; instrumented, those made the initial test run alone last over 12 minutes on the
// shared 2-core machine, and each looping mutant's timeout minutes more. A score from these
// tests alone is a lower bound of what the whole unit suite catches.
import base from '../../stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'tests/mutation/downsample.vitest.config.ts', related: false },
};
