import type { SecretStoreStatus } from '../../../shared/contract';
import type { SecretStore } from './secret-store';

/** Passwords for this process's lifetime only: the CLI, browser mode, tests. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  readonly warning: string | null;
  private readonly values = new Map<string, string>();

  constructor(warning: string | null = null) {
    this.warning = warning;
  }

  status(): SecretStoreStatus {
    return { backend: 'none', remembersPasswords: false, warning: this.warning };
  }

  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
