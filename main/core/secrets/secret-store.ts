/**
 * Where passwords live. Desktop: the OS keystore via Electron safeStorage (main/electron);
 * CLI and browser mode: this process's memory only. Nothing else may hold a password.
 */
export interface SecretStore {
  /** 'keystore' survives restarts (encrypted by the OS); 'memory' dies with the process. */
  readonly kind: 'keystore' | 'memory';
  /** Set when the keystore is weaker than promised (Linux safeStorage "basic_text" backend). */
  readonly warning: string | null;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}
