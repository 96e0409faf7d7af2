// Shared steps of the "connections as labs run them" tests (TLS, replica set, mongodb+srv):
// Sacred runs written through the same kind of connection, a core in a temporary data
// folder, and the checks that a source added through the core was synced and can be browsed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { MongoClient } from 'mongodb';
import type { MongoClientOptions } from 'mongodb';
import { expect } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import type { TestUser } from '../support/mongo-test-server';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import type { GeneratedSacredMongo } from '../support/sacred-mongo-generator';

export const NOW = Date.parse('2026-12-01T00:00:00Z');
export const ADMIN = { user: 'admin', password: 'lab-Admin-pw1' } as const;
export const ADMIN_USER: TestUser = {
  user: ADMIN.user,
  password: ADMIN.password,
  roles: [{ role: 'readWrite', db: '*' }],
};

/** A temporary folder removed by `cleanup`. */
export class TempDirs {
  private readonly dirs: string[] = [];

  make(label: string): string {
    const dir = mkdtempSync(join(tmpdir(), `altar-${label}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** Writes a file (a CA certificate) into a new temporary folder; returns its path. */
  file(name: string, content: string): string {
    const path = join(this.make('file'), name);
    writeFileSync(path, content);
    return path;
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

export function openCore(dirs: TempDirs): AltarCore {
  return createAltarCore({ dataDir: dirs.make('lab-core'), door: 'direct', now: () => NOW });
}

/** Writes Sacred runs (metrics and artifacts) into `database` through `uri`. */
export async function seedSacredRuns(
  uri: string,
  database: string,
  runs: number,
  options: MongoClientOptions = {},
): Promise<GeneratedSacredMongo> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, ...options });
  try {
    await client.connect();
    return await generateSacredMongo(client.db(database), {
      runs,
      now: NOW,
      seed: 11,
      variants: false,
    });
  } finally {
    await client.close();
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * What a user does after adding a source: the run list holds every run, a run opens with its
 * metrics, a metric plots, and an artifact downloads byte for byte.
 */
export async function expectBrowsable(
  core: AltarCore,
  source: string,
  generated: GeneratedSacredMongo,
): Promise<void> {
  const list = await core.listRuns({ source });
  expect(list.total).toBe(generated.ids.length);
  expect(list.runs.map((run) => run.id).sort()).toEqual(generated.ids.map(String).sort());

  const withMetric = list.runs.find((run) => run.metrics.some((metric) => metric.count > 1));
  expect(withMetric).toBeDefined();
  const metric = withMetric?.metrics.find((m) => m.count > 1);
  const detail = await core.getRun({ source, id: withMetric?.id ?? '' });
  expect(detail.id).toBe(withMetric?.id);
  const series = await core.getMetric({
    source,
    id: withMetric?.id ?? '',
    name: metric?.name ?? '',
  });
  expect(series.values).toHaveLength(metric?.count ?? -1);

  const file = generated.artifacts[0];
  expect(file).toBeDefined();
  const run = await core.getRun({ source, id: String(file?.runId) });
  const ref = run.artifacts.find((artifact) => artifact.name === file?.name);
  const stream = await core.openArtifact(ref?.id ?? '');
  expect(stream).not.toBeNull();
  const bytes = await readAll(stream?.open() as Readable);
  expect(bytes.equals(file?.content ?? Buffer.alloc(0))).toBe(true);
}
