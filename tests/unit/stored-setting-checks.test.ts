// The core reads its stored settings with hand-written checks (no zod before `serve`'s URL);
// they must accept exactly what the contract's SettingsSchema accepts, key by key, or a setting
// a user saved would be dropped (or a hand-edited bad one kept) at start.
import { describe, expect, it } from 'vitest';
import { SettingsSchema, type Settings } from '../../shared/contract';
import { storedSettingChecks } from '../../main/core/settings/stored-setting-checks';

const values: unknown[] = [
  0,
  -0,
  1,
  2,
  5,
  -1,
  0.5,
  1.5,
  2 ** 31,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '5',
  '',
  true,
  false,
  null,
  undefined,
  [],
  [5],
  {},
  { value: 5 },
];

describe('stored settings are checked as SettingsSchema checks them', () => {
  for (const key of Object.keys(SettingsSchema.shape) as (keyof Settings)[]) {
    it(`${key}: the same values pass`, () => {
      const check = storedSettingChecks[key];
      const schema = SettingsSchema.shape[key];
      for (const value of values) {
        expect({ value, passes: check(value) }).toEqual({
          value,
          passes: schema.safeParse(value).success,
        });
      }
    });
  }

  it('has a check for every key of the schema and no other', () => {
    expect(Object.keys(storedSettingChecks).sort()).toEqual(
      Object.keys(SettingsSchema.shape).sort(),
    );
  });

  it('refuses what some key refuses (the checks are not all "anything goes")', () => {
    expect(storedSettingChecks.liveRefreshSeconds(0)).toBe(false);
    expect(storedSettingChecks.artifactCacheBytes(-1)).toBe(false);
    expect(storedSettingChecks.rememberPasswordsOnWeakKeystore(1)).toBe(false);
    expect(storedSettingChecks.backgroundSyncMinutes(0)).toBe(true);
  });
});
