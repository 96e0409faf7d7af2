// Shared setup of the artifact cache tests: a core on a test server with a run whose GridFS
// artifacts have known sizes, and a spy on the commands the core's MongoDB driver sends.
import { GridFSBucket, MongoClient } from 'mongodb';
import type { CommandStartedEvent, Db } from 'mongodb';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { vi } from 'vitest';
import { artifactCacheDirectory } from '../../main/core/artifacts/artifacts-service';
export { rejection } from '../support/rejection';

export const NOW = Date.parse('2026-11-27T00:00:00Z');

const dirs: string[] = [];

export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `altar-artifacts-${label}-`));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Bytes that differ at every offset, so a misplaced or missing chunk cannot go unnoticed. */
export function patterned(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export interface TestArtifact {
  name: string;
  content: Buffer;
  /** Small chunks make a file span several cursor batches (the first batch is 101 chunks). */
  chunkSizeBytes?: number;
}

/** A completed Sacred run whose artifacts are uploaded to GridFS like MongoObserver does. */
export async function insertArtifactRun(
  db: Db,
  runId: number,
  artifacts: readonly TestArtifact[],
): Promise<void> {
  const bucket = new GridFSBucket(db, { bucketName: 'fs' });
  const refs: { name: string; file_id: unknown }[] = [];
  for (const artifact of artifacts) {
    const upload = bucket.openUploadStream(`artifact://runs/${runId}/${artifact.name}`, {
      ...(artifact.chunkSizeBytes === undefined ? {} : { chunkSizeBytes: artifact.chunkSizeBytes }),
    });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(artifact.content);
    });
    refs.push({ name: artifact.name, file_id: upload.id });
  }
  const start = new Date(NOW - 3_600_000);
  await db.collection('runs').insertOne({
    _id: runId as never,
    experiment: {
      name: 'cache_test',
      base_dir: '/srv/exp',
      sources: [],
      dependencies: [],
      mainfile: 'train.py',
      repositories: [],
    },
    command: 'main',
    status: 'COMPLETED',
    start_time: start,
    heartbeat: new Date(NOW - 60_000),
    stop_time: new Date(NOW - 60_000),
    host: { hostname: 'node1' },
    config: { seed: runId },
    meta: { command: 'main', options: {} },
    info: {},
    resources: [],
    result: null,
    captured_out: '',
    artifacts: refs,
  });
}

export async function withClient<T>(uri: string, work: (client: MongoClient) => Promise<T>) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.close();
  }
}

/**
 * Every command the core's driver sends from now on: each MongoClient the core creates gets
 * command monitoring switched on before it connects.
 */
export function spyOnCommands(): { commands: CommandStartedEvent[]; restore: () => void } {
  const commands: CommandStartedEvent[] = [];
  const connect = MongoClient.prototype.connect;
  const spy = vi.spyOn(MongoClient.prototype, 'connect').mockImplementation(function (
    this: MongoClient,
  ) {
    this.options.monitorCommands = true;
    this.on('commandStarted', (event) => commands.push(event));
    return connect.call(this);
  });
  return { commands, restore: () => spy.mockRestore() };
}

/** Commands since `from` that read GridFS chunks (find/getMore on fs.chunks). */
export function chunkReads(commands: readonly CommandStartedEvent[], from = 0): number {
  return commands.slice(from).filter((event) => {
    if (event.commandName === 'find') return event.command.find === 'fs.chunks';
    if (event.commandName === 'getMore') return event.command.collection === 'fs.chunks';
    return false;
  }).length;
}

/** Names in the artifact cache folder and in its folder of files still being written. */
export function cacheFolder(dataDir: string): { files: string[]; incoming: string[] } {
  const dir = artifactCacheDirectory(dataDir);
  if (!existsSync(dir)) return { files: [], incoming: [] };
  const incomingDir = join(dir, 'incoming');
  return {
    files: readdirSync(dir).filter((name) => name !== 'incoming'),
    incoming: existsSync(incomingDir) ? readdirSync(incomingDir) : [],
  };
}
