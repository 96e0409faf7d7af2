import type { Settings } from '../../../shared/contract';

type StoredSettingChecks = { [K in keyof Settings]: (value: unknown) => value is Settings[K] };

const wholeNumberFrom =
  (min: number) =>
  (value: unknown): value is number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

/**
 * What SettingsSchema (shared/contract.ts) accepts for each stored key, without zod: the core
 * reads its settings when it opens (the sync scheduler plans with them), before `serve` prints
 * its URL, and zod loads only after it (main/core/contract-checks.ts).
 * tests/unit/stored-setting-checks.test.ts holds these to the schema's answers.
 */
export const storedSettingChecks: StoredSettingChecks = {
  artifactCacheBytes: wholeNumberFrom(0),
  backgroundSyncMinutes: wholeNumberFrom(0),
  liveRefreshSeconds: wholeNumberFrom(1),
  rememberPasswordsOnWeakKeystore: (value): value is boolean => typeof value === 'boolean',
};
