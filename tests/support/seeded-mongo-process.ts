import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './serve-process';
import { stopChild } from './stop-child';

export interface SeededMongo {
  uri: string;
  port: number;
  database: string;
  prefix: string | null;
  /** A run with a PNG artifact and metrics. */
  pngRunId: string | null;
  /** With `--samples`: state (completed, failed, ...) → database of the real Sacred sample. */
  sampleDatabases?: Record<string, string>;
  /** With `--samples`: the database of odd run documents and their ids. */
  oddDatabase?: string;
  oddIds?: string[];
  /** With `--samples`: the Altar sender runs (§7) and every run id of `database`. */
  altarIds?: string[];
  runIds?: string[];
  /** With `--tls-dir`: the CA that signed the server's certificate, and one that did not. */
  caFile?: string;
  otherCaFile?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts tests/support/seeded-mongo-server.ts in its own process (users admin/admin-pw and
 * reader/reader-pw) so that the browser, the app and the database each have their event loop.
 */
export async function startSeededMongo(args: string[] = []): Promise<SeededMongo> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'tests/support/seeded-mongo-server.ts'), ...args],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const info = await new Promise<Omit<SeededMongo, 'process' | 'stop' | 'port'>>(
    (resolve, reject) => {
      // A server that never said it listens is killed: the caller has no handle to stop it,
      // and a leftover server would slow every later test on a machine already too slow.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no seeded server within 60 s:\n${output}`));
      }, 60_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((l) => l.startsWith('{'));
        if (line !== undefined) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Omit<SeededMongo, 'process' | 'stop' | 'port'>);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`seeded server exited with ${code}:\n${output}`));
      });
    },
  );
  return {
    ...info,
    port: Number(new URL(info.uri).port),
    process: child,
    stop: () => stopChild(child, 'the seeded MongoDB test server', () => output),
  };
}
