/**
 * One step of a user's session in the window, profiled three ways at once (the profile scripts
 * ui-sort-profile.ts and ui-plot-profile.ts): a Chromium performance trace (OUT/<step>.trace.json),
 * the page's CPU profile (OUT/<step>.page.cpuprofile) and the serve process's
 * (OUT/<step>.serve.cpuprofile, by serve-cpu-profiler.mjs on SIGUSR2); then prints the API calls
 * made meanwhile, the renderer main thread's CPU by trace event and both profiles' hottest
 * functions.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { startServedApp } from '../support/serve-process';
import type { ServedApp } from '../support/serve-process';
import { apiCallsSince, hottest, mainThreadSelfTimes, waitForFile } from './profile-summaries';
import type { CpuProfile } from './profile-summaries';

export interface ProfiledApp {
  app: ServedApp;
  /** Runs `act` under the three profiles named `step`; `act` tells its outcome in a line. */
  profiled(
    browser: Browser,
    page: Page,
    cdp: CDPSession,
    step: string,
    act: () => Promise<string>,
    pageTop?: number,
  ): Promise<void>;
}

/** Serves `dataDir` (kept) with the serve CPU profiler preloaded, writing into `out`. */
export async function startProfiledApp(dataDir: string, out: string): Promise<ProfiledApp> {
  const profiler = pathToFileURL(path.join(import.meta.dirname, 'serve-cpu-profiler.mjs')).href;
  const app = await startServedApp({
    dataDir,
    keepDataDir: true,
    env: { NODE_OPTIONS: `--import ${profiler}`, ALTAR_CPU_PROFILE_DIR: out },
  });
  // The preload numbers this process's profiles from 1.
  let serveProfiles = 0;
  return {
    app,
    async profiled(browser, page, cdp, step, act, pageTop) {
      const base = path.join(out, step);
      serveProfiles += 1;
      const started = path.join(out, `serve-${serveProfiles}.started`);
      app.process.kill('SIGUSR2');
      await waitForFile(started);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
      await browser.startTracing(page, { path: `${base}.trace.json`, screenshots: false });
      await page.evaluate(() => performance.setResourceTimingBufferSize(10_000));
      const since = await page.evaluate(() => performance.now());
      const outcome = await act();
      // A frame more, so the trace holds the result's paint.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      await browser.stopTracing();
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${base}.page.cpuprofile`, JSON.stringify(profile));
      app.process.kill('SIGUSR2');
      const serveFile = path.join(out, `serve-${serveProfiles}.cpuprofile`);
      await waitForFile(serveFile);
      const serveProfile = JSON.parse(readFileSync(serveFile, 'utf8')) as CpuProfile;
      writeFileSync(`${base}.serve.cpuprofile`, JSON.stringify(serveProfile));
      rmSync(serveFile);
      rmSync(started);
      console.log(`\n${step}: ${outcome}`);
      console.log('API calls:');
      for (const line of await apiCallsSince(page, since)) console.log(line);
      console.log('renderer main thread, CPU self time by trace event:');
      for (const line of mainThreadSelfTimes(`${base}.trace.json`)) console.log(line);
      console.log('page CPU profile, self time:');
      for (const line of hottest(profile as CpuProfile, pageTop)) console.log(line);
      console.log('serve CPU profile, self time:');
      for (const line of hottest(serveProfile)) console.log(line);
    },
  };
}
