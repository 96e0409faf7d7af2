import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionProfile, SourceInfo } from '../../shared/contract';
import {
  filesContaining,
  passwordForms,
  seedSacredRuns,
  startMongoTarget,
} from './cli-mongo-support';
import type { MongoTarget } from './cli-mongo-support';
import { cliCommand } from '../support/cli-command';
import { repoRoot, runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

// util-linux `script` gives the CLI a real terminal (a pty), as a user at a shell has.
const hasScript = spawnSync('script', ['--version']).status === 0;
const realUri = process.env.ALTAR_TEST_MONGO_URI ?? '';
const canTestPasswords = realUri === '' || /^[^/]*\/\/[^/@]*:[^/@]+@/u.test(realUri);

const DB = `altar_cli_prompt_${process.pid}_${Date.now().toString(36)}`;

let ws: Workspace;
let target: MongoTarget;

beforeAll(async () => {
  ws = workspace();
  target = await startMongoTarget([DB]);
  await seedSacredRuns(await target.writer(), DB);
});

afterAll(async () => {
  if (target !== undefined) {
    const writer = await target.writer().catch(() => null);
    await writer
      ?.db(DB)
      .dropDatabase()
      .catch(() => undefined);
    await target.close();
  }
  ws?.remove();
});

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/gu, `'\\''`)}'`;
}

/**
 * Runs the CLI on a pty; when the prompt shows, types `keys`. Resolves with the exit code and
 * everything the terminal showed (stdout and stderr together, as on a screen).
 */
function runOnTerminal(
  args: readonly string[],
  keys: string,
): Promise<{ code: number; screen: string }> {
  const started = cliCommand(['--data-dir', ws.dataDir, ...args]);
  const cli = [started.command, ...started.args].map(shellQuote).join(' ');
  // After the CLI, the terminal's settings: a prompt must leave echo and line editing on.
  const command = `${cli}; rc=$?; stty -a; exit $rc`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: repoRoot,
      env: { ...process.env, TERM: 'xterm', ALTAR_MONGO_PASSWORD: '', ALTAR_DEBUG: '', CI: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let typed = false;
    const onData = (chunk: Buffer): void => {
      screen += chunk.toString('utf8');
      if (!typed && screen.includes('Password for ')) {
        typed = true;
        child.stdin.write(keys);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('close', (code) => {
      child.stdin.destroy();
      resolve({ code: code ?? 1, screen });
    });
  });
}

const listJson = async <T>(args: string[]): Promise<T> =>
  JSON.parse((await runCli(['--data-dir', ws.dataDir, ...args, '--format', 'json'])).stdout) as T;

describe.skipIf(!hasScript || !canTestPasswords)('the password prompt on a terminal', () => {
  it('asks on stderr without echoing what is typed, and connects with the answer', async () => {
    const uri = target.uri({ db: DB, password: null });
    const { code, screen } = await runOnTerminal(
      ['sources', 'add', 'lab', '--mongo', uri],
      `${target.password}\r`,
    );
    expect(screen).toMatch(new RegExp(`Password for ${target.user}@[\\w.-]+:\\d+.*: `, 'u'));
    expect(screen).toContain('Added source "lab"');
    expect(code).toBe(0);
    for (const form of passwordForms(target.password)) expect(screen).not.toContain(form);
    const sources = await listJson<SourceInfo[]>(['sources', 'list']);
    expect(sources).toContainEqual(
      expect.objectContaining({ name: 'lab', kind: 'mongo', runCount: 3 }),
    );
    // The typed password is in no file of the data dir.
    expect(filesContaining(ws.dataDir, passwordForms(target.password))).toEqual([]);
  }, 120_000);

  it('stops on Ctrl+C with exit 130, adding nothing', async () => {
    const sourcesBefore = await listJson<SourceInfo[]>(['sources', 'list']);
    const profilesBefore = await listJson<ConnectionProfile[]>(['profiles', 'list']);
    const uri = target.uri({ password: null });
    const { code, screen } = await runOnTerminal(
      ['sources', 'add', 'other', '--mongo', uri, '--db', DB],
      'xy!Z\u0003',
    );
    expect(code).toBe(130);
    expect(screen).toMatch(/altar-viewer: .*[Cc]ancel/u);
    expect(screen).toMatch(/(?<!-)\becho\b/u);
    expect(screen).toMatch(/(?<!-)\bicanon\b/u);
    expect(screen).not.toContain('xy!Z');
    expect(await listJson<SourceInfo[]>(['sources', 'list'])).toEqual(sourcesBefore);
    expect(await listJson<ConnectionProfile[]>(['profiles', 'list'])).toEqual(profilesBefore);
    expect(filesContaining(ws.dataDir, ['xy!Z'])).toEqual([]);
  }, 120_000);
});
