import { safeStorage } from 'electron';

/** Encrypts small secrets (MongoDB passwords) with the OS keychain via safeStorage. */
export interface SecretStore {
  readonly available: boolean;
  /** Base64 of the encrypted bytes, safe to keep in the cache database. */
  encrypt(plainText: string): string;
  decrypt(stored: string): string;
}

/** Call after app "ready": safeStorage cannot reach the keychain before. */
export function createSecretStore(warn: (message: string) => void = console.warn): SecretStore {
  const available = safeStorage.isEncryptionAvailable();
  // Without a keyring daemon Chromium falls back to a fixed key, which hides nothing.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    warn(
      'altar-viewer: no OS keyring found (gnome-keyring or KWallet); saved passwords would be stored ' +
        'with a fixed key, readable by anyone who can read your profile folder.',
    );
  }
  return {
    available,
    encrypt(plainText) {
      if (!available) throw new Error('secret storage is not available on this system');
      return safeStorage.encryptString(plainText).toString('base64');
    },
    decrypt(stored) {
      if (!available) throw new Error('secret storage is not available on this system');
      return safeStorage.decryptString(Buffer.from(stored, 'base64'));
    },
  };
}
