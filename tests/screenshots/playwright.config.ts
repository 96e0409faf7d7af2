import { defineConfig } from '@playwright/test';
import e2e from '../e2e/playwright.config';

// The README's screenshots (npm run screenshots): the e2e setup (Debian's Chromium, the built
// browser door), its own test files (*.shots.ts), so `npm run test:e2e` never writes them.
export default defineConfig({
  ...e2e,
  testDir: '.',
  testMatch: '*.shots.ts',
  timeout: 300_000,
  outputDir: '../../test-results/screenshots',
});
