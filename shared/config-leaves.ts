import type { JsonValue } from './contract';
import { isJsonpickleNode } from './jsonpickle';

/** A config leaf: its path of keys and its value (arrays and jsonpickle nodes are leaves). */
export interface ConfigLeaf {
  path: string;
  value: JsonValue;
}

function isPlainObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Flattens a config to dotted leaf paths. Sacred refuses '.' in config keys, so the dotted
 * path is unambiguous here (unlike info or result keys).
 */
export function configLeaves(config: JsonValue, prefix = ''): ConfigLeaf[] {
  if (!isPlainObject(config) || isJsonpickleNode(config)) {
    return prefix === '' ? [] : [{ path: prefix, value: config }];
  }
  const entries = Object.entries(config as { [key: string]: JsonValue });
  if (entries.length === 0) return prefix === '' ? [] : [{ path: prefix, value: config }];
  const out: ConfigLeaf[] = [];
  for (const [key, value] of entries) {
    out.push(...configLeaves(value, prefix === '' ? key : `${prefix}.${key}`));
  }
  return out;
}

/** The value at a dotted leaf path, or undefined when the config does not have it. */
export function configValueAt(config: JsonValue, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = config;
  for (const key of path.split('.')) {
    if (current === undefined || !isPlainObject(current)) return undefined;
    current = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
  }
  return current;
}
