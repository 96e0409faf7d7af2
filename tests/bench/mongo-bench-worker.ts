// One measured process of the sync benchmark (its peak RSS is its own):
//   tsx tests/bench/mongo-bench-worker.ts plain URI
//     reads the runs and metrics collections with the plain driver, prints {ms, docs, points}
//   tsx tests/bench/mongo-bench-worker.ts sync URI DATA_DIR
//     initial sync and no-change re-sync through the core, prints a line after each, then
//     waits for "go" on stdin (the parent changes the database) and re-syncs once more.
// Every line is JSON; the last one carries maxRssMb (the process's peak resident memory).
import { MongoClient } from 'mongodb';
import { createInterface } from 'node:readline';
import { createAltarCore } from '../../main/core/altar-core';

const [mode, uri, dataDir] = process.argv.slice(2);
if (uri === undefined) throw new Error('usage: plain|sync URI [DATA_DIR]');

const print = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/** Wall time, and this process's own CPU time (the server's is not in it). */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, value };
}

if (mode === 'plain') {
  const client = new MongoClient(uri);
  await client.connect();
  const { ms, cpuMs, value } = await timed(async () => {
    let docs = 0;
    let points = 0;
    for (const name of ['runs', 'metrics']) {
      for await (const doc of client.db('bench').collection(name).find({})) {
        docs++;
        if (Array.isArray(doc.values)) points += doc.values.length;
      }
    }
    return { docs, points };
  });
  await client.close();
  print({ phase: 'plain', ms, cpuMs, ...value, maxRssMb: maxRssMb() });
} else if (mode === 'sync' && dataDir !== undefined) {
  const core = createAltarCore({ dataDir, door: 'direct' });
  const profile = await core.saveProfile({ name: 'bench', uri });
  // Connected and checked first, like the plain read: the initial sync is timed alone.
  await core.testConnection({ profileId: profile.id });
  const initial = await timed(async () => {
    await core.addMongoSource({ name: 'bench', profileId: profile.id, database: 'bench' });
    const [source] = await core.listSources({});
    if (source?.lastError != null) throw new Error(source.lastError);
    return source?.runCount ?? 0;
  });
  print({
    phase: 'initial',
    ms: initial.ms,
    cpuMs: initial.cpuMs,
    runs: initial.value,
    maxRssMb: maxRssMb(),
  });
  const resync = await timed(() => core.syncSources({ names: ['bench'] }));
  print({
    phase: 'no-change',
    ms: resync.ms,
    cpuMs: resync.cpuMs,
    summary: resync.value[0],
    maxRssMb: maxRssMb(),
  });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'go') break;
  const changed = await timed(() => core.syncSources({ names: ['bench'] }));
  await core.close();
  print({
    phase: 'changed',
    ms: changed.ms,
    cpuMs: changed.cpuMs,
    summary: changed.value[0],
    maxRssMb: maxRssMb(),
  });
  lines.close();
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}
