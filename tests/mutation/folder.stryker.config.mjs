// The folder readers (main/core/folder/) measured with their own unit tests only (issue 18),
// one file per run:
// `nice -n 19 npx stryker run tests/mutation/folder.stryker.config.mjs --mutate main/core/folder/read-run-dir.ts --timeoutMS 10000 --ignoreStatic`
// (plus --tempDirName/--incrementalFile of your own when others run Stryker too). With the
// default config every mutant of read-run-dir.ts re-ran the 73 related unit tests (the folder
// syncs, the sample folders), about one mutant a minute on the shared 2-core machine. A score
// from these tests alone is a lower bound of what the whole unit suite catches.
import base from '../../stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'tests/mutation/folder.vitest.config.ts', related: false },
};
