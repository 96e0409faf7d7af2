// The MongoDB readers measured with their own unit tests only (issue 18), one file per run:
// `nice -n 19 npx stryker run tests/mutation/mongo-readers.stryker.config.mjs --mutate main/core/mongo/read-mongo-run.ts --timeoutMS 10000 --ignoreStatic`
// (then the same with main/core/mongo/mongo-metrics.ts; plus --tempDirName/--incrementalFile of
// your own when others run Stryker too). With the default config every mutant re-runs every
// unit test that imports these files, directly or not (the syncs, the cache, the CLI); the two
// files whole (about 1,100 mutants) did not finish in a session that way. A score from these
// tests alone is a lower bound of what the whole unit suite catches.
import base from '../../stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'tests/mutation/mongo-readers.vitest.config.ts', related: false },
};
