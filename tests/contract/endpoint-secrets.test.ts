// Issue 11 item 10: an S3 secret typed into a storage endpoint URL (http://KEY:SECRET@host)
// is refused, and no reply, log line or error text on any door ever carries it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AltarError, toErrorPayload } from '../../shared/errors';
import { maskUrlCredentials } from '../../shared/url-credentials';
import { dispatch, loggable } from '../../main/hosts/dispatch';
import { runCli, workspace as cliWorkspace } from '../integration/cli-support';
import { openDoor, makeWorkspace } from './doors';
import type { Door, DoorName, HttpDoor, Workspace } from './doors';

const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCY';

/** Endpoints holding the secret, parsable or not: each must be refused without an echo. */
const endpoints = [
  `http://AKIAEXAMPLE:${SECRET}@minio.lab:9000`,
  `https://AKIAEXAMPLE:${SECRET}@minio.lab`,
  `http://AKIAEXAMPLE:${SECRET}@minio.lab:99999`,
  `http://AKIAEXAMPLE:${SECRET}@[::1`,
  `http://AKIAEXAMPLE:${SECRET}@`,
  `http://AKIAEXAMPLE:${encodeURIComponent(`${SECRET}/@#`)}@minio.lab`,
  `http:AKIAEXAMPLE:${SECRET}@minio.lab`,
  `${SECRET}@minio.lab:9000`,
  `AKIAEXAMPLE:${SECRET}@minio.lab`,
  `ftp://AKIAEXAMPLE:${SECRET}@minio.lab`,
  ` http://AKIAEXAMPLE:${SECRET}@minio lab `,
];

function expectNoSecret(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(encodeURIComponent(SECRET));
}

let workspace: Workspace;
const doors: Door[] = [];

beforeAll(async () => {
  workspace = makeWorkspace();
  for (const name of ['direct', 'http', 'ipc'] as DoorName[]) {
    const door = await openDoor(name, workspace);
    const added = await door.call('addFolderSource', { name: 'lab', path: workspace.runFolder });
    expect(added.ok).toBe(true);
    doors.push(door);
  }
});

afterAll(async () => {
  for (const door of doors) await door.close();
  workspace?.remove();
});

describe('a secret inside a storage endpoint', () => {
  it.each(endpoints)('is refused on every door without echoing it: %s', async (endpoint) => {
    for (const door of doors) {
      for (const method of ['saveStorageProfile', 'testStorageProfile']) {
        const reply = await door.call(method, {
          source: 'lab',
          endpoint,
          accessKeyId: 'AKIAEXAMPLE',
          secretAccessKey: 'other-secret-in-its-field',
        });
        expect(reply.ok, `${door.name} ${method}`).toBe(false);
        if (!reply.ok) expect(reply.error.code).toBe('INVALID_ARGUMENT');
        expectNoSecret(JSON.stringify(reply));
        // The core refuses what was typed: an answer (200, error in the envelope), not a fault.
        if (door.name === 'http') expect((door as HttpDoor).lastStatus).toBe(200);
      }
      const profile = await door.call('getStorageProfile', { source: 'lab' });
      expectNoSecret(JSON.stringify(profile));
    }
  });

  it('keeps the secret out of the CLI line, exit 2', async () => {
    const ws = cliWorkspace();
    try {
      const folder = ws.copyFixture('filestorage_completed');
      const cli = (...args: string[]) =>
        runCli(['--data-dir', ws.dataDir, ...args], { ALTAR_S3_SECRET: 'field-secret-123456' });
      expect((await cli('sources', 'add', 'lab', '--folder', folder)).code).toBe(0);
      for (const endpoint of [endpoints[0]!, endpoints[2]!, endpoints[7]!]) {
        const result = await cli(
          'storage',
          'set',
          'lab',
          '--endpoint',
          endpoint,
          '--access-key',
          'AKIAEXAMPLE',
        );
        expect(result.code).toBe(2);
        expectNoSecret(result.stdout + result.stderr);
        expect(result.stderr).toMatch(/storage endpoint/u);
      }
    } finally {
      ws.remove();
    }
  });
});

describe('the last lock: any URL password in any error text', () => {
  const leaky = [
    `connect ECONNREFUSED http://AK:${SECRET}@10.0.0.1:9000/bucket`,
    `fetch failed for s3://AK:${SECRET}@bucket/key`,
    `proxy https://user:${SECRET}@proxy.lab:3128 refused`,
    `mongodb://alice:${SECRET}@db.lab/sacred unreachable`,
  ];

  it.each(leaky)('is masked in payloads of every kind: %s', (message) => {
    for (const error of [
      new Error(message),
      new AltarError('CONNECTION_FAILED', message),
      message,
    ]) {
      const payload = toErrorPayload(error);
      expectNoSecret(payload.message);
      expect(payload.message).toContain(':****@');
    }
    expectNoSecret(maskUrlCredentials(message));
  });

  it('is masked in the log line of an internal error', async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    try {
      const core = {
        getAppInfo: () => Promise.reject(new Error(`boom at http://AK:${SECRET}@s3.lab/x`)),
      };
      const reply = await dispatch(core as never, 'getAppInfo', {});
      expect(reply.ok).toBe(false);
      expectNoSecret(JSON.stringify(reply));
    } finally {
      spy.mockRestore();
    }
    expect(logged).toHaveLength(1);
    expectNoSecret(logged.map((args) => args.map(String).join(' ')).join('\n'));
    expectNoSecret(loggable(new Error(`http://AK:${SECRET}@h`)));
  });

  it('leaves URLs without a password as they are', () => {
    const text = 'Cannot reach https://minio.lab:9000 (mongodb://alice@db.lab/sacred)';
    expect(maskUrlCredentials(text)).toBe(text);
  });
});
