// Linux without a keyring: the core applies the user's "remember passwords anyway" setting to
// the desktop secret store, and getAppInfo tells the UI where passwords are kept.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import {
  createSecretStore,
  SECRETS_FILE,
  WEAK_KEYSTORE_MEMORY_WARNING,
  WEAK_KEYSTORE_WARNING,
} from '../../main/electron/secret-store';
import type { SafeStorageLike } from '../../main/electron/secret-store';
import { closedPort } from '../support/closed-port';
import { tempDir } from './core-test-folder';

const PASSWORD = 'weak-Key-Pw-42';
const dirs: string[] = [];

/** Chromium's plain-text fallback, as Linux reports it without gnome-keyring or KWallet. */
function basicText(): SafeStorageLike {
  const xor = (bytes: Buffer): Buffer => Buffer.from(bytes.map((byte) => byte ^ 0x21));
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'basic_text',
    encryptString: (plainText) => xor(Buffer.from(plainText, 'utf8')),
    decryptString: (encrypted) => xor(encrypted).toString('utf8'),
  };
}

function openCore(dataDir: string) {
  const secrets = createSecretStore({
    dataDir,
    safeStorage: basicText(),
    platform: 'linux',
    warn: () => undefined,
  });
  return createAltarCore({ dataDir, door: 'electron', secrets });
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('remembering passwords without a keyring', () => {
  it('keeps them in memory by default, writes them once the user opts in, and tells the UI', async () => {
    const dataDir = tempDir('weak-keystore');
    dirs.push(dataDir);
    const secretsFile = join(dataDir, SECRETS_FILE);

    const first = openCore(dataDir);
    try {
      expect((await first.getAppInfo({})).secretStoreStatus).toEqual({
        backend: 'weak-keystore',
        remembersPasswords: false,
        warning: WEAK_KEYSTORE_MEMORY_WARNING,
      });
      expect((await first.getSettings({})).rememberPasswordsOnWeakKeystore).toBe(false);
      const profile = await first.saveProfile({
        name: 'lab',
        uri: `mongodb://alice@127.0.0.1:${await closedPort()}/sacred`,
        password: PASSWORD,
        rememberPassword: true,
      });
      expect(profile.passwordStorage).toBe('memory');
      expect(existsSync(secretsFile)).toBe(false);

      await first.updateSettings({ rememberPasswordsOnWeakKeystore: true });
      expect(existsSync(secretsFile)).toBe(true);
      expect((await first.getAppInfo({})).secretStoreStatus).toEqual({
        backend: 'weak-keystore',
        remembersPasswords: true,
        warning: WEAK_KEYSTORE_WARNING,
      });
      expect((await first.listProfiles({}))[0]?.passwordStorage).toBe('keystore');
    } finally {
      await first.close();
    }

    const second = openCore(dataDir);
    try {
      expect((await second.listProfiles({}))[0]).toMatchObject({
        hasPassword: true,
        passwordStorage: 'keystore',
      });
      // Turning it off removes the file and leaves the password for this session only.
      await second.updateSettings({ rememberPasswordsOnWeakKeystore: false });
      expect(existsSync(secretsFile)).toBe(false);
      expect((await second.listProfiles({}))[0]).toMatchObject({
        hasPassword: true,
        passwordStorage: 'memory',
      });
    } finally {
      await second.close();
    }

    const third = openCore(dataDir);
    try {
      expect((await third.listProfiles({}))[0]?.hasPassword).toBe(false);
    } finally {
      await third.close();
    }
  });

  it('says nothing is remembered in a core without a desktop keystore (CLI, browser)', async () => {
    const dataDir = tempDir('no-keystore');
    dirs.push(dataDir);
    const core = createAltarCore({ dataDir, door: 'http' });
    try {
      expect((await core.getAppInfo({})).secretStoreStatus).toEqual({
        backend: 'none',
        remembersPasswords: false,
        warning: null,
      });
    } finally {
      await core.close();
    }
  });
});
