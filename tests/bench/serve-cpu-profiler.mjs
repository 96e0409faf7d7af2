/**
 * Preloaded into a served app by tests/bench/ui-sort-profile.ts (NODE_OPTIONS="--import ..."):
 * SIGUSR2 starts V8's CPU profiler in that process, the next SIGUSR2 stops it and writes
 * `<ALTAR_CPU_PROFILE_DIR>/serve-<n>.cpuprofile` (Chrome DevTools' format), so a profile covers
 * one user action rather than the whole process as `node --cpu-prof` would.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dir = process.env.ALTAR_CPU_PROFILE_DIR;
if (dir !== undefined) {
  const session = new Session();
  session.connect();
  const post = (method, params = {}) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  let running = false;
  let count = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: 250 }))
        .then(() => post('Profiler.start'))
        // Written once the profiler runs: the driver waits for it before acting. It holds the
        // epoch ms at the profile's clock's zero (its timestamps are monotonic µs), so a
        // driver can place samples on the page's clock (ui-sort-timeline.ts).
        .then(() =>
          writeFileSync(
            path.join(dir, `serve-${count + 1}.started`),
            String(
              performance.timeOrigin + performance.now() - Number(process.hrtime.bigint()) / 1e6,
            ),
          ),
        );
      return;
    }
    running = false;
    count += 1;
    const file = path.join(dir, `serve-${count}.cpuprofile`);
    void post('Profiler.stop').then(({ profile }) => {
      // Renamed into place whole: the driver reads it as soon as it exists.
      writeFileSync(`${file}.tmp`, JSON.stringify(profile));
      renameSync(`${file}.tmp`, file);
    });
  });
}
