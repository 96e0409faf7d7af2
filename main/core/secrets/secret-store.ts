import type { SecretStoreStatus } from '../../../shared/contract';

/**
 * Where passwords live. Desktop: the OS keystore via Electron safeStorage (main/electron);
 * CLI and browser mode: this process's memory only. Nothing else may hold a password.
 */
export interface SecretStore {
  /** 'keystore' survives restarts (encrypted by the OS); 'memory' dies with the process. */
  readonly kind: 'keystore' | 'memory';
  /** Set when the keystore is weaker than promised, or missing on the desktop. */
  readonly warning: string | null;
  /** What the UI tells the user about where remembered passwords are kept. */
  status(): SecretStoreStatus;
  /**
   * Only a weak keystore (Linux "basic_text") implements this: the user's setting to write
   * passwords under its fixed key anyway (true), or keep them in memory only (false).
   */
  allowWeakKeystore?(allowed: boolean): Promise<void>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}
