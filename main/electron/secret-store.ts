import { chmodSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemorySecretStore } from '../core/secrets/memory-secret-store';
import type { SecretStore } from '../core/secrets/secret-store';

/** The part of Electron's safeStorage used here; passed in so tests need no Electron binary. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface KeystoreOptions {
  dataDir: string;
  safeStorage: SafeStorageLike;
  platform?: NodeJS.Platform;
  warn?: (message: string) => void;
}

export const SECRETS_FILE = 'secrets.json';

export const WEAK_KEYSTORE_WARNING =
  'Passwords are stored with a weak, plain-text key on this desktop: install a keyring such as ' +
  'gnome-keyring or KWallet.';

export const NO_KEYSTORE_WARNING =
  'No OS keystore is available: passwords are kept in memory only until Altar Viewer closes. ' +
  'Install a keyring such as gnome-keyring or KWallet to remember them.';

interface SecretsFile {
  version: 1;
  /** key -> base64 of the safeStorage ciphertext; never plaintext. */
  secrets: Record<string, string>;
}

/**
 * Passwords encrypted by the OS keystore (Electron safeStorage) in `<dataDir>/secrets.json`.
 * Call after app "ready": safeStorage cannot reach the keychain before. Without any encryption
 * the store keeps passwords in memory only, and says so in its warning.
 */
export function createSecretStore(options: KeystoreOptions): SecretStore {
  const warn = options.warn ?? console.warn;
  const platform = options.platform ?? process.platform;
  const { safeStorage } = options;
  if (!safeStorage.isEncryptionAvailable()) {
    warn(`altar-viewer: ${NO_KEYSTORE_WARNING}`);
    return new MemorySecretStore(NO_KEYSTORE_WARNING);
  }
  // Without a keyring daemon Chromium falls back to a fixed key, which hides nothing.
  const weak = platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  if (weak) warn(`altar-viewer: ${WEAK_KEYSTORE_WARNING}`);
  return new KeystoreSecretStore(
    join(options.dataDir, SECRETS_FILE),
    safeStorage,
    weak ? WEAK_KEYSTORE_WARNING : null,
    warn,
  );
}

class KeystoreSecretStore implements SecretStore {
  readonly kind = 'keystore' as const;
  readonly warning: string | null;
  private readonly entries: Map<string, string>;
  /** Writes one after the other, so an older state never lands after a newer one. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly safeStorage: SafeStorageLike,
    warning: string | null,
    warn: (message: string) => void,
  ) {
    this.warning = warning;
    this.entries = readSecretsFile(file, warn);
  }

  async get(key: string): Promise<string | null> {
    const stored = this.entries.get(key);
    if (stored === undefined) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      // Encrypted under another OS account or keyring: as good as not stored.
      return null;
    }
  }

  async set(key: string, value: string): Promise<void> {
    this.entries.set(key, this.safeStorage.encryptString(value).toString('base64'));
    await this.save();
  }

  async delete(key: string): Promise<void> {
    if (!this.entries.delete(key)) return;
    await this.save();
  }

  private save(): Promise<void> {
    const content: SecretsFile = { version: 1, secrets: Object.fromEntries(this.entries) };
    const text = `${JSON.stringify(content, null, 2)}\n`;
    const next = this.writing.then(() => writeAtomically(this.file, text));
    this.writing = next.catch(() => undefined);
    return next;
  }
}

function readSecretsFile(file: string, warn: (message: string) => void): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Map();
  }
  try {
    const parsed: unknown = JSON.parse(text);
    const secrets =
      typeof parsed === 'object' && parsed !== null && 'secrets' in parsed ? parsed.secrets : null;
    if (typeof secrets !== 'object' || secrets === null) throw new Error('no secrets object');
    const entries = new Map<string, string>();
    for (const [key, value] of Object.entries(secrets)) {
      if (typeof value === 'string') entries.set(key, value);
    }
    // Files from before the store tightened its permissions get them now.
    chmodSync(file, 0o600);
    return entries;
  } catch {
    warn(`altar-viewer: ${file} is unreadable; saved passwords must be entered again.`);
    return new Map();
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // A temp file left by a crash could carry looser permissions; start from nothing.
    await rm(temp, { force: true });
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
