import type { Settings, SettingsUpdate } from '../../../shared/contract';

const MIB = 1024 * 1024;
export const MIN_CACHE_MIB = 64;

/** The settings form's fields as typed: the cache cap in MiB, the intervals as whole numbers. */
export interface SettingsFormValues {
  cacheMiB: string;
  backgroundSyncMinutes: string;
  liveRefreshSeconds: string;
}

export function toFormValues(settings: Settings): SettingsFormValues {
  return {
    cacheMiB: String(Math.round(settings.artifactCacheBytes / MIB)),
    backgroundSyncMinutes: String(settings.backgroundSyncMinutes),
    liveRefreshSeconds: String(settings.liveRefreshSeconds),
  };
}

export type SettingsFormResult =
  | { ok: true; update: SettingsUpdate }
  | { ok: false; errors: Partial<Record<keyof SettingsFormValues, string>> };

/**
 * The update for the changed fields, or a message per field that is not a whole number in
 * range (the core checks again; this only spares a round trip for typos).
 */
export function readSettingsForm(
  values: SettingsFormValues,
  current: Settings,
): SettingsFormResult {
  const errors: Partial<Record<keyof SettingsFormValues, string>> = {};
  const whole = (field: keyof SettingsFormValues, min: number, max: number): number | null => {
    const text = values[field].trim();
    const n = /^\d+$/u.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      errors[field] = `Enter a whole number from ${min} to ${max}.`;
      return null;
    }
    return n;
  };
  const cacheMiB = whole('cacheMiB', MIN_CACHE_MIB, 1024 * 1024);
  const minutes = whole('backgroundSyncMinutes', 0, 1440);
  const seconds = whole('liveRefreshSeconds', 1, 3600);
  if (cacheMiB === null || minutes === null || seconds === null) return { ok: false, errors };
  const update: SettingsUpdate = {};
  // An unchanged MiB figure keeps the exact byte count that was stored.
  if (cacheMiB !== Math.round(current.artifactCacheBytes / MIB)) {
    update.artifactCacheBytes = cacheMiB * MIB;
  }
  if (minutes !== current.backgroundSyncMinutes) update.backgroundSyncMinutes = minutes;
  if (seconds !== current.liveRefreshSeconds) update.liveRefreshSeconds = seconds;
  return { ok: true, update };
}
