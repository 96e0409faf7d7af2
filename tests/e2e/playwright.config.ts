import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser (DESIGN.md "Testing on these machines").
const executablePath = process.env.ALTAR_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '../../test-results',
  use: {
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        // A container's /dev/shm is often 64 MB: Chromium's shared memory there runs out on a
        // PDF or plot page and the tab crashes. /tmp instead, whatever the machine.
        '--disable-dev-shm-usage',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
