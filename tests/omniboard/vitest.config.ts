// `npm run test:omniboard`: real Omniboard against the MongoDB test server. Its own config
// because Omniboard is installed on first use (globalSetup), outside node_modules.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: {
    include: ['tests/omniboard/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/omniboard/install-omniboard.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
