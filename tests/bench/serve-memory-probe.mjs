/* global setInterval */
/**
 * Preloaded into a served app by tests/bench/serve-rss-session.ts (NODE_OPTIONS="--import ..."):
 * on SIGUSR2 the process writes where its memory is to `<ALTAR_MEMORY_PROBE_DIR>/memory-<n>.json`
 * (process.memoryUsage(), V8's heap spaces, /proc/self/smaps_rollup) and, when
 * ALTAR_MEMORY_PROBE_SNAPSHOT=1, a heap snapshot beside it (Chrome DevTools' format), so the
 * breakdown is taken at a moment the driver chooses (after the table session).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import diagnosticsChannel from 'node:diagnostics_channel';
import { Session } from 'node:inspector';
import v8 from 'node:v8';

const dir = process.env.ALTAR_MEMORY_PROBE_DIR;
if (dir !== undefined) {
  let count = 0;
  // process.memoryUsage() every 100 ms: the sample at the resident peak says what it was made of.
  const started = Date.now();
  let atPeak = null;
  const timeline = [];
  // The request being answered, so the timeline says what the window was doing.
  let lastRequest = '';
  diagnosticsChannel.subscribe('http.server.request.start', ({ request }) => {
    lastRequest = request.url.split('?')[0];
  });
  setInterval(() => {
    const now = { atMs: Date.now() - started, request: lastRequest, ...process.memoryUsage() };
    if (atPeak === null || now.rss > atPeak.rss) {
      atPeak = now;
      atPeak.heapSpaces = v8
        .getHeapSpaceStatistics()
        .map((space) => `${space.space_name} ${(space.space_size / 1048576).toFixed(0)} MB`)
        .join(', ');
    }
    const last = timeline.at(-1);
    if (last === undefined || Math.abs(now.rss - last.rss) > 4 * 1024 * 1024) timeline.push(now);
  }, 100).unref();
  // ALTAR_MEMORY_PROBE_ALLOCATIONS=1: V8's sampling heap profiler from the start, counting what
  // was collected too, so the profile says which code allocated the most (the heap's growth).
  const session = process.env.ALTAR_MEMORY_PROBE_ALLOCATIONS === '1' ? new Session() : null;
  const post = (method, params = {}) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  if (session !== null) {
    session.connect();
    void post('HeapProfiler.startSampling', {
      samplingInterval: 65536,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  process.on('SIGUSR2', async () => {
    count += 1;
    if (session !== null) {
      const { profile } = await post('HeapProfiler.stopSampling');
      writeFileSync(path.join(dir, `serve-${count}.heapprofile`), JSON.stringify(profile));
    }
    const file = path.join(dir, `memory-${count}.json`);
    const before = process.memoryUsage();
    const heapSpaces = v8.getHeapSpaceStatistics().map((space) => ({
      name: space.space_name,
      size: space.space_size,
      used: space.space_used_size,
    }));
    let rollup;
    try {
      rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
    } catch {
      rollup = 'n/a';
    }
    const snapshot =
      process.env.ALTAR_MEMORY_PROBE_SNAPSHOT === '1'
        ? v8.writeHeapSnapshot(path.join(dir, `serve-${count}.heapsnapshot`))
        : null;
    // Written whole then renamed: the driver reads it as soon as it exists.
    writeFileSync(
      `${file}.tmp`,
      JSON.stringify(
        { memoryUsage: before, heapSpaces, rollup, snapshot, atPeak, timeline },
        null,
        1,
      ),
    );
    renameSync(`${file}.tmp`, file);
  });
}
