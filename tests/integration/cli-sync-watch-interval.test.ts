// `sync --watch` waits the documented 60 s between rounds (or --interval seconds). The command
// runs in this process, and the test reads the wait it asks of setTimeout instead of waiting:
// then Ctrl+C (its SIGINT handler) ends the watch at once.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo, OutputStream } from '../../main/cli/cli-io';
import { runCli } from '../../main/cli/run-cli';
import { repoRoot } from './cli-support';

interface Recorded extends OutputStream {
  text: string;
}

function recorder(isTTY: boolean): Recorded {
  const stream: Recorded = {
    text: '',
    isTTY,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

let root: string;
let dataDir: string;
let delays: number[];

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'altar-watch-interval-'));
  dataDir = join(root, 'data');
  const folder = join(root, 'runs');
  cpSync(join(repoRoot, 'tests', 'fixtures', 'sacred-samples', 'filestorage_completed'), folder, {
    recursive: true,
  });
  const io: CliIo = { stdout: recorder(false), stderr: recorder(false), env: {} };
  expect(
    await runCli(['--data-dir', dataDir, 'sources', 'add', 'lab', '--folder', folder], io),
  ).toBe(0);
  delays = [];
  const realSetTimeout = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    callback: () => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    delays.push(ms ?? 0);
    return realSetTimeout(callback, ms, ...args);
  }) as typeof setTimeout);
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

/** Starts `sync --watch ...`, waits for its first wait to begin, presses Ctrl+C. */
async function firstWait(
  extra: readonly string[],
): Promise<{ waitMs: number; code: number; stdout: string; stderr: string }> {
  const stdout = recorder(false);
  const stderr = recorder(true);
  const before = new Set(process.listeners('SIGINT'));
  const running = runCli(['--data-dir', dataDir, 'sync', '--watch', ...extra], {
    stdout,
    stderr,
    env: {},
  });
  // Only the watch waits a second or more: the rest of the process uses short timers.
  await vi.waitFor(() => expect(delays.filter((ms) => ms >= 1000)).toHaveLength(1), {
    timeout: 20_000,
  });
  const handlers = process.listeners('SIGINT').filter((handler) => !before.has(handler));
  expect(handlers).toHaveLength(1);
  handlers[0]?.('SIGINT');
  const code = await running;
  // The watch leaves no handler of its own behind.
  expect(process.listeners('SIGINT').filter((handler) => !before.has(handler))).toEqual([]);
  const waitMs = delays.find((ms) => ms >= 1000) ?? -1;
  return { waitMs, code, stdout: stdout.text, stderr: stderr.text };
}

describe('sync --watch between two rounds', () => {
  it('waits 60 s by default, says so, and stops on Ctrl+C with exit code 0', async () => {
    const watched = await firstWait([]);
    expect(watched.waitMs).toBe(60_000);
    expect(watched.code).toBe(0);
    expect(watched.stderr).toContain('Syncing every 60 s; press Ctrl+C to stop.');
    expect(watched.stdout).toMatch(/^lab: 2 runs \(2 added, /u);
  });

  it('waits --interval seconds when given', async () => {
    const watched = await firstWait(['--interval', '5']);
    expect(watched.waitMs).toBe(5000);
    expect(watched.code).toBe(0);
    expect(watched.stderr).toContain('Syncing every 5 s');
  });
});
