import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSecretStore,
  NO_KEYSTORE_WARNING,
  SECRETS_FILE,
  WEAK_KEYSTORE_WARNING,
} from '../../main/electron/secret-store';
import type { SafeStorageLike } from '../../main/electron/secret-store';

const SECRET = 'S3cret-Pa55!';
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'altar-keystore-'));
  dirs.push(dir);
  return dir;
}

/** Stands in for the OS: XOR "encryption", so the plaintext never shows in the bytes. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  const xor = (bytes: Buffer): Buffer => Buffer.from(bytes.map((byte) => byte ^ 0x33));
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plainText) => xor(Buffer.from(plainText, 'utf8')),
    decryptString: (encrypted) => xor(encrypted).toString('utf8'),
  };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('keystore secret store', () => {
  it('keeps passwords encrypted in secrets.json (mode 0600) across restarts', async () => {
    const dir = dataDir();
    const warnings: string[] = [];
    const store = createSecretStore({
      dataDir: dir,
      safeStorage: fakeSafeStorage(),
      platform: 'linux',
      warn: (message) => warnings.push(message),
    });
    expect(store.kind).toBe('keystore');
    expect(store.warning).toBeNull();
    await store.set('mongo-profile:a', SECRET);
    await store.set('mongo-profile:b', 'other');
    await store.delete('mongo-profile:b');

    const file = join(dir, SECRETS_FILE);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(Object.keys(JSON.parse(text).secrets)).toEqual(['mongo-profile:a']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Written by rename: no temporary file is left behind.
    expect(readdirSync(dir)).toEqual([SECRETS_FILE]);

    const again = createSecretStore({
      dataDir: dir,
      safeStorage: fakeSafeStorage(),
      platform: 'linux',
    });
    expect(await again.get('mongo-profile:a')).toBe(SECRET);
    expect(await again.get('mongo-profile:b')).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('warns when Linux falls back to the plain-text backend', () => {
    const warnings: string[] = [];
    const store = createSecretStore({
      dataDir: dataDir(),
      safeStorage: fakeSafeStorage('basic_text'),
      platform: 'linux',
      warn: (message) => warnings.push(message),
    });
    expect(store.kind).toBe('keystore');
    expect(store.warning).toBe(WEAK_KEYSTORE_WARNING);
    expect(store.warning).toMatch(/gnome-keyring or KWallet/u);
    expect(warnings.join('\n')).toContain('weak, plain-text key');
  });

  it('keeps passwords in memory only, with a warning, when there is no encryption at all', async () => {
    const dir = dataDir();
    const store = createSecretStore({
      dataDir: dir,
      safeStorage: fakeSafeStorage('unknown', false),
      platform: 'linux',
      warn: () => undefined,
    });
    expect(store.kind).toBe('memory');
    expect(store.warning).toBe(NO_KEYSTORE_WARNING);
    await store.set('k', SECRET);
    expect(await store.get('k')).toBe(SECRET);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('starts empty, with a warning, from an unreadable secrets file', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, SECRETS_FILE), '{ not json');
    const warnings: string[] = [];
    const store = createSecretStore({
      dataDir: dir,
      safeStorage: fakeSafeStorage(),
      platform: 'darwin',
      warn: (message) => warnings.push(message),
    });
    expect(await store.get('anything')).toBeNull();
    expect(warnings.join('\n')).toMatch(/must be entered again/u);
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
  });
});
