// A light command starts fast because it loads only what it needs: the built CLI (split into
// chunks by build/build-main.mjs) answers --version and --help without the MongoDB driver, the
// AWS SDK or zod, and lists sources without the AWS SDK; `serve` starts and serves a window of
// folder runs without the MongoDB driver (0.3–1 s of its start: issue 13), which a MongoDB
// source loads when it is used, nor the YAML parser. The bundle is built into a private folder
// so the test sees this checkout's code, not whatever dist/ holds.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { closedPort } from '../support/closed-port';

const root = join(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'altar-cli-imports-'));
const hook = join(root, 'tests/support/record-imports.mjs');
const samples = join(root, 'tests/fixtures/sacred-samples/filestorage_completed');

function newImportLog(): string {
  const log = join(work, `imports-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  return log;
}

/** The packages whose modules the log names (before its first stdout line `before` if given). */
function packagesIn(log: string, before?: RegExp): string[] {
  const lines = readFileSync(log, 'utf8').split('\n');
  const end = before === undefined ? -1 : lines.findIndex((line) => before.test(line));
  if (before !== undefined) expect(end, `no stdout line ${String(before)} in the log`).not.toBe(-1);
  const packages = new Set(
    (end === -1 ? lines : lines.slice(0, end)).flatMap(
      (url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//u.exec(url)?.[1] ?? [],
    ),
  );
  return [...packages].sort();
}

function cliArgs(dataDir: string, args: string[]): string[] {
  return ['--import', hook, join(work, 'dist/cli.mjs'), '--data-dir', dataDir, ...args];
}

/** Runs the built CLI; resolves to its output and the packages its imports reached. */
function runBuiltCli(...args: string[]): { out: string; packages: string[] } {
  const log = newImportLog();
  const out = execFileSync(process.execPath, cliArgs(join(work, 'data'), args), {
    env: { ...process.env, ALTAR_IMPORT_LOG: log },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { out, packages: packagesIn(log) };
}

/**
 * Starts the built `serve` on dataDir, opens what a window opens first (the sources, the run
 * table's first page), stops it with SIGTERM; resolves to the packages it loaded meanwhile.
 */
type ApiCall = (method: string, args: unknown) => Promise<unknown>;

async function serveAWindow(
  dataDir: string,
  /** What the user does next in the same window, after its first calls. */
  then?: (call: ApiCall) => Promise<void>,
  /** The window's first call, before listSources (its reply is checked by the caller). */
  first?: (call: ApiCall) => Promise<void>,
  log = newImportLog(),
): Promise<string[]> {
  const child = spawn(process.execPath, cliArgs(dataDir, ['serve', '--port', '0', '--no-open']), {
    env: { ...process.env, ALTAR_IMPORT_LOG: log, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  try {
    let output = '';
    const url = await new Promise<URL>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/u.exec(output);
        if (match?.[1] !== undefined) resolve(new URL(match[1]));
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`serve ended before its URL:\n${output}`)));
    });
    const token = url.searchParams.get('token') ?? '';
    const call: ApiCall = async (method, args) => {
      const response = await fetch(new URL(`/api/${method}`, url.origin), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(args),
      });
      return response.json();
    };
    await first?.(call);
    expect(await call('listSources', {})).toMatchObject({ ok: true });
    expect(await call('queryRuns', { limit: 50 })).toMatchObject({ ok: true });
    await then?.(call);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return packagesIn(log);
}

beforeAll(() => {
  // Packages resolve from the bundle's folder upwards: give the private build our node_modules.
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(root, 'build/build-main.mjs'), '--out', join(work, 'dist')]);
  // The altar-viewer command beside its private bundle, as in the package.
  cpSync(join(root, 'bin'), join(work, 'bin'), { recursive: true });
  copyFileSync(join(root, 'package.json'), join(work, 'package.json'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const HEAVY = ['mongodb', 'bson', '@aws-sdk/client-s3', 'zod', 'better-sqlite3'];

describe('the built CLI loads only what a command needs', () => {
  it('answers --version without loading any package', () => {
    const { out, packages } = runBuiltCli('--version');
    expect(out).toMatch(/^altar-viewer \d+\.\d+\.\d+/u);
    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('answers a bare --version (or -V) from the altar-viewer command without loading the bundle', () => {
    for (const flag of ['--version', '-V']) {
      const log = newImportLog();
      const out = execFileSync(
        process.execPath,
        ['--import', hook, join(work, 'bin/altar-viewer.cjs'), flag],
        {
          env: { ...process.env, ALTAR_IMPORT_LOG: log },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(out).toBe(`altar-viewer ${version}\n`);
      expect(readFileSync(log, 'utf8')).not.toContain('/dist/');
    }
    // Anything more on the line goes to the bundle, whose parser decides: the log shows it
    // loaded, so the check above can fail.
    for (const args of [['--data-dir', join(work, 'data'), '--version'], ['--help']]) {
      const log = newImportLog();
      const out = execFileSync(
        process.execPath,
        ['--import', hook, join(work, 'bin/altar-viewer.cjs'), ...args],
        {
          env: { ...process.env, ALTAR_IMPORT_LOG: log },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(out).toMatch(args[0] === '--help' ? /^Usage: altar-viewer/u : /^altar-viewer \d/u);
      expect(readFileSync(log, 'utf8')).toContain(`${pathToFileURL(work).href}/dist/cli.mjs`);
    }
  });

  it('says to build first when the altar-viewer command finds no bundle', () => {
    const bare = mkdtempSync(join(tmpdir(), 'altar-cli-unbuilt-'));
    try {
      cpSync(join(root, 'bin'), join(bare, 'bin'), { recursive: true });
      copyFileSync(join(root, 'package.json'), join(bare, 'package.json'));
      expect(
        spawnSync(process.execPath, [join(bare, 'bin/altar-viewer.cjs'), '-V'], {
          encoding: 'utf8',
        }).stdout,
      ).toBe(`altar-viewer ${version}\n`);
      const run = spawnSync(
        process.execPath,
        [join(bare, 'bin/altar-viewer.cjs'), 'sources', 'list'],
        {
          encoding: 'utf8',
        },
      );
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('run npm run build first');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('answers --help without loading any package', () => {
    const { out, packages } = runBuiltCli('--help');
    expect(out).toContain('sources list');
    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('serves a window of folder runs without the MongoDB driver', async () => {
    const dataDir = join(work, 'serve-folder');
    cpSync(samples, join(work, 'runs'), { recursive: true });
    execFileSync(
      process.execPath,
      [
        join(work, 'dist/cli.mjs'),
        '--data-dir',
        dataDir,
        'sources',
        'add',
        'lab',
        '--folder',
        join(work, 'runs'),
      ],
      { timeout: 60_000 },
    );
    const packages = await serveAWindow(dataDir);
    // The cache is read, so SQLite is loaded: the recorder does see what serve loads.
    expect(packages).toContain('better-sqlite3');
    // Nor the YAML parser (sending runs reads YAML configs; it loads on the first one:
    // tests/unit/send-naming.test.ts reads one), BSON (backups and the MongoDB reader load it on
    // first use) or the MongoDB URI parser (on the first URI); nor the CSV, zip and glob
    // packages of exports, run zips and the send wizard (main/core/package-on-first-use.ts).
    const unneeded = [
      'mongodb',
      'yaml',
      'bson',
      'mongodb-connection-string-url',
      'papaparse',
      'yazl',
      'picomatch',
    ];
    expect(packages.filter((p) => unneeded.includes(p) || p.startsWith('@aws-sdk/'))).toEqual([]);
  }, 120_000);

  it("prints serve's URL before loading zod, and still checks its first call's arguments", async () => {
    // zod and the contract's schemas were 0.3–0.6 s of serve's start on the loaded machine
    // (issue 13); they load after the URL (main/core/contract-checks.ts).
    const log = newImportLog();
    const dataDir = join(work, 'serve-zod');
    const packages = await serveAWindow(
      dataDir,
      undefined,
      async (call) => {
        // The very first call of the process, outside the contract: refused as before.
        expect(await call('queryRuns', { limit: -1, colums: [] })).toMatchObject({
          ok: false,
          error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^queryRuns: /u) },
        });
        expect(await call('noSuchMethod', {})).toMatchObject({
          ok: false,
          error: { code: 'UNKNOWN_METHOD' },
        });
      },
      log,
    );
    expect(packagesIn(log, /^\(stdout\) .*serving at http/u)).not.toContain('zod');
    // The recorder does see zod once it loads: the check above can fail.
    expect(packages).toContain('zod');
  }, 120_000);

  it('loads the MongoDB URI parser and driver in a running serve once a MongoDB source is added', async () => {
    // The packages left out at start still load when first needed, in the built bundle.
    const dataDir = join(work, 'serve-then-mongo');
    const port = await closedPort();
    const packages = await serveAWindow(dataDir, async (call) => {
      const saved = (await call('saveProfile', {
        name: 'lab db',
        uri: `mongodb://127.0.0.1:${port}/sacred?serverSelectionTimeoutMS=500`,
      })) as { ok: boolean; result?: { id: string; hosts?: unknown } };
      expect(saved).toMatchObject({ ok: true });
      const added = (await call('addMongoSource', {
        name: 'db',
        profileId: saved.result?.id,
        database: 'sacred',
      })) as { ok: boolean; error?: { message?: string } };
      // No server there: the core's own error, not a module that failed to load.
      expect(added.ok).toBe(false);
      expect(JSON.stringify(added.error)).not.toMatch(/Cannot find|is not a function|require/u);
    });
    expect(packages).toEqual(
      expect.arrayContaining(['mongodb-connection-string-url', 'mongodb', 'bson']),
    );
  }, 120_000);

  it('loads the MongoDB driver once a MongoDB source is used', async () => {
    // The failure path of the check above: a command that talks to MongoDB (here a server that
    // is not there) does load the driver, and the recorder sees it although it is required lazily.
    const log = newImportLog();
    const added = spawnSync(
      process.execPath,
      cliArgs(join(work, 'data-mongo'), [
        'sources',
        'add',
        'db',
        '--mongo',
        `mongodb://127.0.0.1:${await closedPort()}/sacred?serverSelectionTimeoutMS=500`,
      ]),
      { env: { ...process.env, ALTAR_IMPORT_LOG: log }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(added.status, added.stderr).not.toBe(0);
    expect(packagesIn(log)).toContain('mongodb');
  }, 120_000);

  it('lists sources from the cache without the AWS SDK', () => {
    const { out, packages } = runBuiltCli('sources', 'list');
    expect(out).toContain('No sources yet');
    // The cache is read, so SQLite is loaded: the recorder does see a command's packages.
    expect(packages).toContain('better-sqlite3');
    expect(packages.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  });
});
