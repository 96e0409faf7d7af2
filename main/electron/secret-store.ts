import { chmodSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStoreStatus } from '../../shared/contract';
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

/** Linux without a keyring, and the user chose to remember passwords anyway. */
export const WEAK_KEYSTORE_WARNING =
  'No keyring was found on this desktop, so remembered passwords are stored with a fixed key ' +
  'that anyone who can read your files can undo. Install a keyring such as gnome-keyring or ' +
  'KWallet, or turn off "Remember passwords without a keyring" in Settings.';

/** Linux without a keyring, the default: nothing is written. */
export const WEAK_KEYSTORE_MEMORY_WARNING =
  'No keyring was found on this desktop: passwords are kept in memory only until Altar Viewer ' +
  'closes. Install a keyring such as gnome-keyring or KWallet to remember them safely, or ' +
  'turn on "Remember passwords without a keyring" in Settings.';

export const NO_KEYSTORE_WARNING =
  'No OS keystore is available: passwords are kept in memory only until Altar Viewer closes. ' +
  'Install a keyring such as gnome-keyring or KWallet to remember them.';

/** Chromium's Linux backend when no keyring daemon answers: a hard-coded key, no secrecy. */
const PLAIN_TEXT_BACKEND = 'basic_text';

interface SecretsFileContent {
  version: 1;
  /** key -> base64 of the safeStorage ciphertext; never plaintext. */
  secrets: Record<string, string>;
}

/**
 * Passwords encrypted by the OS keystore (Electron safeStorage) in `<dataDir>/secrets.json`.
 * Call after app "ready": safeStorage cannot reach the keychain before. Without any encryption
 * the store keeps passwords in memory only; with Linux's plain-text fallback it does too,
 * unless the user opts in (see WeakKeystoreSecretStore). Either way its status says so.
 */
export function createSecretStore(options: KeystoreOptions): SecretStore {
  const warn = options.warn ?? console.warn;
  const platform = options.platform ?? process.platform;
  const { safeStorage } = options;
  if (!safeStorage.isEncryptionAvailable()) {
    warn(`altar-viewer: ${NO_KEYSTORE_WARNING}`);
    return new MemorySecretStore(NO_KEYSTORE_WARNING);
  }
  const file = new SecretsFile(join(options.dataDir, SECRETS_FILE), safeStorage, warn);
  // isEncryptionAvailable() stays true on the fallback, so only the backend's name tells.
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === PLAIN_TEXT_BACKEND) {
    warn(`altar-viewer: ${WEAK_KEYSTORE_MEMORY_WARNING}`);
    return new WeakKeystoreSecretStore(file);
  }
  return new KeystoreSecretStore(file);
}

/** A real OS keystore: every remembered password is written, encrypted by it. */
class KeystoreSecretStore implements SecretStore {
  readonly kind = 'keystore' as const;
  readonly warning = null;
  /** key -> ciphertext; a password is decrypted only when asked for. */
  private readonly entries: Map<string, string>;

  constructor(private readonly file: SecretsFile) {
    this.entries = file.readEncrypted();
  }

  status(): SecretStoreStatus {
    return { backend: 'keystore', remembersPasswords: true, warning: null };
  }

  async get(key: string): Promise<string | null> {
    const stored = this.entries.get(key);
    return stored === undefined ? null : this.file.decrypt(stored);
  }

  async set(key: string, value: string): Promise<void> {
    this.entries.set(key, this.file.encrypt(value));
    await this.file.writeEncrypted(this.entries);
  }

  async delete(key: string): Promise<void> {
    if (!this.entries.delete(key)) return;
    await this.file.writeEncrypted(this.entries);
  }
}

/**
 * Linux's "basic_text" fallback encrypts with a key that is the same on every machine, so a
 * written password is as good as plaintext. Passwords stay in memory until the user turns on
 * the rememberPasswordsOnWeakKeystore setting (the core calls allowWeakKeystore at start and
 * on every change); turning it off again removes the file.
 */
class WeakKeystoreSecretStore implements SecretStore {
  private readonly entries: Map<string, string>;
  private persist = false;

  constructor(private readonly file: SecretsFile) {
    // A file from before this choice existed still serves this session.
    this.entries = file.read();
  }

  get kind(): 'keystore' | 'memory' {
    return this.persist ? 'keystore' : 'memory';
  }

  get warning(): string {
    return this.persist ? WEAK_KEYSTORE_WARNING : WEAK_KEYSTORE_MEMORY_WARNING;
  }

  status(): SecretStoreStatus {
    return { backend: 'weak-keystore', remembersPasswords: this.persist, warning: this.warning };
  }

  async allowWeakKeystore(allowed: boolean): Promise<void> {
    this.persist = allowed;
    if (allowed) await this.file.write(this.entries);
    else await this.file.remove();
  }

  async get(key: string): Promise<string | null> {
    return this.entries.get(key) ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
    if (this.persist) await this.file.write(this.entries);
  }

  async delete(key: string): Promise<void> {
    if (!this.entries.delete(key)) return;
    if (this.persist) await this.file.write(this.entries);
  }
}

/** secrets.json: ciphertexts only, mode 0600, replaced atomically, one write at a time. */
class SecretsFile {
  /** Writes one after the other, so an older state never lands after a newer one. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly safeStorage: SafeStorageLike,
    private readonly warn: (message: string) => void,
  ) {}

  readEncrypted(): Map<string, string> {
    return readSecretsFile(this.path, this.warn);
  }

  /** The stored passwords, decrypted; one encrypted under another account or keyring is left out. */
  read(): Map<string, string> {
    const entries = new Map<string, string>();
    for (const [key, encrypted] of this.readEncrypted()) {
      const value = this.decrypt(encrypted);
      if (value !== null) entries.set(key, value);
    }
    return entries;
  }

  encrypt(value: string): string {
    return this.safeStorage.encryptString(value).toString('base64');
  }

  decrypt(encrypted: string): string | null {
    try {
      return this.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      // Encrypted under another OS account or keyring: as good as not stored.
      return null;
    }
  }

  write(entries: ReadonlyMap<string, string>): Promise<void> {
    const encrypted = new Map<string, string>();
    for (const [key, value] of entries) encrypted.set(key, this.encrypt(value));
    return this.writeEncrypted(encrypted);
  }

  writeEncrypted(entries: ReadonlyMap<string, string>): Promise<void> {
    const content: SecretsFileContent = { version: 1, secrets: Object.fromEntries(entries) };
    const text = `${JSON.stringify(content, null, 2)}\n`;
    return this.queue(() => writeAtomically(this.path, text));
  }

  remove(): Promise<void> {
    return this.queue(() => rm(this.path, { force: true }));
  }

  private queue(step: () => Promise<void>): Promise<void> {
    const next = this.writing.then(step);
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
