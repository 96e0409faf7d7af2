import { GIB } from './byte-units';
import type { Settings } from './contract';

/**
 * The settings a new data folder starts with. Apart from shared/contract.ts (which re-exports
 * it) so that the core reads its settings without loading zod: `serve` prints its URL before
 * the contract's schemas load (main/core/contract-checks.ts).
 */
export const DEFAULT_SETTINGS: Settings = {
  artifactCacheBytes: 2 * GIB,
  backgroundSyncMinutes: 5,
  liveRefreshSeconds: 5,
  rememberPasswordsOnWeakKeystore: false,
};
