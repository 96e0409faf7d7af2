import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunFiles } from './build-run';
import { writeMetricsFile } from './metrics-file-writer';
import { dumpPyJson } from './python-json';

/** Keeps track of content-addressed files already written to _sources/ and _resources/. */
export class SharedStore {
  private readonly written = new Set<string>();

  constructor(private readonly root: string) {}

  async put(relativePath: string, content: string): Promise<void> {
    if (this.written.has(relativePath)) return;
    this.written.add(relativePath);
    const path = join(this.root, relativePath);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
  }
}

/** Writes one run directory the way FileStorageObserver leaves it. Returns metric points written. */
export async function writeRun(root: string, run: RunFiles, store: SharedStore): Promise<number> {
  const dir = join(root, run.id);
  await mkdir(dir, { recursive: true });
  for (const source of run.sources) await store.put(source.storedAs, source.content);
  for (const resource of run.resources)
    await store.put(`_resources/${resource.storedName}`, resource.content);

  const writes: Promise<unknown>[] = [
    writeFile(join(dir, 'run.json'), dumpPyJson(run.runJson)),
    writeFile(join(dir, 'config.json'), dumpPyJson(run.config)),
  ];
  if (run.cout !== null) writes.push(writeFile(join(dir, 'cout.txt'), run.cout, 'utf8'));
  if (run.info !== null) writes.push(writeFile(join(dir, 'info.json'), dumpPyJson(run.info)));
  for (const artifact of run.artifacts)
    writes.push(writeFile(join(dir, artifact.name), artifact.content));
  for (const source of run.flatSources) {
    writes.push(writeFile(join(dir, source.name.split('/').pop() ?? source.name), source.content));
  }
  await Promise.all(writes);
  return run.metrics === null ? 0 : writeMetricsFile(join(dir, 'metrics.json'), run.metrics);
}
