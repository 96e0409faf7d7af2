import { defineConfig } from 'vitest/config';
import base from '../../vitest.mutation.config';

// The unit tests of the folder readers (main/core/folder/), for
// tests/mutation/folder.stryker.config.mjs: every tests/unit/folder-*.test.ts, plus the cout.txt
// cases of file-tail.test.ts. Not the folder sync's tests (sync-folder-source.test.ts and the
// core's), which reach the readers only through a whole sync.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/unit/folder-*.test.ts', 'tests/unit/file-tail.test.ts'],
  },
});
