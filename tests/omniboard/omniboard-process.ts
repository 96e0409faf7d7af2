// Starts real Omniboard's server (installed by omniboard-install.ts) against MongoDB URIs,
// on a free loopback port, and stops it. One process can serve several databases, each
// under its own path, as Omniboard's OMNIBOARD_CONFIG file allows.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OmniboardApi } from './omniboard-api';
import { ensureOmniboard } from './omniboard-install';
import { stopChild } from '../support/stop-child';

export interface OmniboardDatabase {
  /** Omniboard's config key; the database is served under `/<key>`. */
  key: string;
  /** A MongoDB URI naming the database in its path (credentials allowed). */
  uri: string;
  /** Omniboard's `runsCollectionName` / `metricsCollectionName` (default runs / metrics). */
  runsCollection?: string;
  metricsCollection?: string;
}

export interface OmniboardProcess {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The API of one database, as Omniboard's web UI calls it. */
  api(key: string): OmniboardApi;
  /** Everything Omniboard printed so far (its request log and errors), for failure messages. */
  output(): string;
  close(): Promise<void>;
}

const PRELOAD = path.join(import.meta.dirname, 'listen-on-loopback.mjs');
const START_TIMEOUT_MS = 60_000;
const OUTPUT_CAP = 200_000;

function waitForStart(child: ChildProcess, expectedDatabases: number, output: () => string) {
  return new Promise<string>((resolve, reject) => {
    let origin: string | null = null;
    const fail = (message: string): void => {
      clearTimeout(timer);
      reject(new Error(`${message}\n--- omniboard output ---\n${output()}`));
    };
    const timer = setTimeout(
      () => fail(`omniboard did not start within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    const check = (): void => {
      const text = output();
      const listening = /ALTAR_OMNIBOARD_LISTENING (\S+) (\d+)/u.exec(text);
      if (listening !== null) origin = `http://${listening[1]}:${listening[2]}`;
      const connected = text.match(/established successfully!/gu)?.length ?? 0;
      if (/Failed to establish connection|Retrying in/u.test(text)) {
        fail('omniboard could not connect to MongoDB');
      } else if (origin !== null && connected >= expectedDatabases) {
        clearTimeout(timer);
        resolve(origin);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code, signal) =>
      fail(`omniboard exited (${signal ?? code}) while starting`),
    );
  });
}

/**
 * Omniboard with one entry per database in a generated OMNIBOARD_CONFIG file (so no URI,
 * and no password, is on its command line), waited for until it listens and every
 * database connection is open (before that its mongoose models fail at once: it sets
 * bufferMaxEntries 0).
 */
export async function startOmniboard(databases: OmniboardDatabase[]): Promise<OmniboardProcess> {
  if (databases.length === 0) throw new Error('startOmniboard needs at least one database');
  const { entry, packageDir } = await ensureOmniboard();
  const configDir = mkdtempSync(path.join(tmpdir(), 'altar-omniboard-'));
  const configFile = path.join(configDir, 'omniboard-config.json');
  const config: Record<string, Record<string, string>> = {};
  for (const database of databases) {
    config[database.key] = {
      mongodbURI: database.uri,
      path: `/${database.key}`,
      ...(database.runsCollection === undefined
        ? {}
        : { runsCollectionName: database.runsCollection }),
      ...(database.metricsCollection === undefined
        ? {}
        : { metricsCollectionName: database.metricsCollection }),
    };
  }
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });

  let text = '';
  const child = spawn(process.execPath, ['--import', pathToFileURL(PRELOAD).href, entry], {
    cwd: packageDir,
    // stdin stays open while we live: the preload exits when it closes.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? configDir,
      OMNIBOARD_CONFIG: configFile,
      PORT: '0',
      // Its /Version route reports npm_package_version; nothing else reads the environment.
      npm_package_version: '2.16.1',
    },
  });
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    if (text.length > OUTPUT_CAP) text = text.slice(-OUTPUT_CAP);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const close = async (): Promise<void> => {
    try {
      await stopChild(child, 'Omniboard', () => text);
    } finally {
      rmSync(configDir, { recursive: true, force: true });
    }
  };

  let origin: string;
  try {
    origin = await waitForStart(child, databases.length, () => text);
  } catch (error) {
    await close();
    throw error;
  }
  const apis = new Map(
    databases.map((database) => [
      database.key,
      new OmniboardApi(`${origin}/${database.key}/`, () => text),
    ]),
  );
  return {
    origin,
    api(key) {
      const api = apis.get(key);
      if (api === undefined) throw new Error(`omniboard serves no database "${key}"`);
      return api;
    },
    output: () => text,
    close,
  };
}
