import type { Settings, SettingsUpdate } from '../../../shared/contract';
import { DEFAULT_SETTINGS } from '../../../shared/settings-defaults';
import type { CacheStore } from '../cache/cache-store';
import { storedSettingChecks } from './stored-setting-checks';
import { SettingsStore } from './settings-store';

export type SettingsListener = (settings: Settings, changed: ReadonlySet<keyof Settings>) => void;

export interface SettingsService {
  get(): Settings;
  /** Stores the given keys (already validated against SettingsUpdateSchema) and returns all. */
  update(update: SettingsUpdate): Settings;
  /** Called after every update that changed something; for services inside the core. */
  onChange(listener: SettingsListener): () => void;
}

const keys = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/**
 * Settings kept in the cache database. Reading is lenient: a stored value the stored-shape
 * schema rejects (hand-edited, from a newer version) falls back to its default, key by key.
 */
export function createSettingsService(store: CacheStore): SettingsService {
  const table = new SettingsStore(store.database);
  const listeners = new Set<SettingsListener>();

  const get = (): Settings => {
    const stored = table.readAll();
    const settings: Settings = { ...DEFAULT_SETTINGS };
    for (const key of keys) {
      const value = stored.get(key);
      // Each key's own check passed the value, so it fits that key.
      if (storedSettingChecks[key](value)) Object.assign(settings, { [key]: value });
    }
    return settings;
  };

  return {
    get,
    update(update) {
      const before = get();
      const changed = new Set(
        keys.filter((key) => update[key] !== undefined && update[key] !== before[key]),
      );
      table.write(update);
      const after = get();
      if (changed.size > 0) for (const listener of listeners) listener(after, changed);
      return after;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
