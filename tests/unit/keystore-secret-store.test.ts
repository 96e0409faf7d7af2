import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSecretStore,
  NO_KEYSTORE_WARNING,
  SECRETS_FILE,
  WEAK_KEYSTORE_MEMORY_WARNING,
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

  it('on Linux without a keyring keeps passwords in memory only by default, and says so', async () => {
    const dir = dataDir();
    const warnings: string[] = [];
    const store = createSecretStore({
      dataDir: dir,
      safeStorage: fakeSafeStorage('basic_text'),
      platform: 'linux',
      warn: (message) => warnings.push(message),
    });
    expect(store.kind).toBe('memory');
    expect(store.status()).toEqual({
      backend: 'weak-keystore',
      remembersPasswords: false,
      warning: WEAK_KEYSTORE_MEMORY_WARNING,
    });
    expect(store.warning).toMatch(/memory only.*gnome-keyring or KWallet/su);
    expect(warnings.join('\n')).toContain('No keyring was found');
    await store.allowWeakKeystore?.(false);
    await store.set('mongo-profile:a', SECRET);
    expect(await store.get('mongo-profile:a')).toBe(SECRET);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes passwords under the weak key only after the user opts in, and removes them on opt-out', async () => {
    const dir = dataDir();
    const store = createSecretStore({
      dataDir: dir,
      safeStorage: fakeSafeStorage('basic_text'),
      platform: 'linux',
      warn: () => undefined,
    });
    await store.set('mongo-profile:a', SECRET);
    await store.allowWeakKeystore?.(true);
    expect(store.kind).toBe('keystore');
    expect(store.status()).toEqual({
      backend: 'weak-keystore',
      remembersPasswords: true,
      warning: WEAK_KEYSTORE_WARNING,
    });
    const file = join(dir, SECRETS_FILE);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const next = createSecretStore({
      dataDir: dir,
      safeStorage: fakeSafeStorage('basic_text'),
      platform: 'linux',
      warn: () => undefined,
    });
    await next.allowWeakKeystore?.(true);
    expect(await next.get('mongo-profile:a')).toBe(SECRET);

    // Opting out forgets the file at once; this session still has the password.
    await next.allowWeakKeystore?.(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(next.kind).toBe('memory');
    expect(await next.get('mongo-profile:a')).toBe(SECRET);
    await next.set('mongo-profile:b', 'other');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats the plain-text backend as a real keystore outside Linux (it only exists there)', () => {
    const store = createSecretStore({
      dataDir: dataDir(),
      safeStorage: fakeSafeStorage('basic_text'),
      platform: 'darwin',
      warn: () => undefined,
    });
    expect(store.status()).toEqual({
      backend: 'keystore',
      remembersPasswords: true,
      warning: null,
    });
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
    expect(store.status()).toEqual({
      backend: 'none',
      remembersPasswords: false,
      warning: NO_KEYSTORE_WARNING,
    });
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
