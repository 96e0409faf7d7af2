import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type * as Yaml from 'yaml';
import type { JsonObject, JsonValue } from '../../../shared/contract';
import type { Cell, TableOptions } from './table-file';
import { BadInputFile, readTableFile } from './table-file';

export interface ConfigReadOptions extends TableOptions {
  /** Nested keys joined with "_" (the old sender's "Flatten", pandas json_normalize). */
  flatten?: boolean;
  /** CSV/xlsx: the first row names the columns and is not a pair. Default false. */
  header?: boolean;
}

/**
 * A config file as an object: JSON or YAML (a mapping), or a CSV/xlsx of two columns, key and
 * value, one pair a row. The old sender kept only the header pair of a table; every row counts.
 */
export async function readConfigFile(
  path: string,
  shownName: string,
  options: ConfigReadOptions = {},
): Promise<JsonObject> {
  const extension = extname(path).toLowerCase();
  let config: JsonObject;
  if (extension === '.json' || extension === '.yaml' || extension === '.yml') {
    const text = await readFile(path, 'utf8');
    config = mappingOf(parseStructured(text, extension, shownName), shownName);
  } else {
    config = pairsOf(await readTableFile(path, shownName, options), shownName, options);
  }
  return options.flatten === true ? flattenObject(config) : config;
}

let yaml: typeof Yaml | null = null;

/**
 * The YAML parser, loaded when a YAML file is first read: importing it took ~0.2 s of
 * `serve`'s start (issue 13), which sends no run. A CommonJS require (yaml ships both).
 */
function parseYaml(text: string): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml.parse(text);
}

export function parseStructured(text: string, extension: string, shownName: string): unknown {
  try {
    return extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new BadInputFile(
      shownName,
      `is not valid ${extension === '.json' ? 'JSON' : 'YAML'} (${firstLine(error)})`,
    );
  }
}

export function mappingOf(value: unknown, shownName: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadInputFile(shownName, 'must hold a mapping of names to values');
  }
  return toJson(value) as JsonObject;
}

/** Two columns, key and value; a third non-empty column is refused (which pair would it be?). */
export function pairsOf(
  rows: readonly Cell[][],
  shownName: string,
  options: { header?: boolean } = {},
): JsonObject {
  const pairs: JsonObject = {};
  rows.slice(options.header === true ? 1 : 0).forEach((row, index) => {
    const [key, value = null, ...rest] = row;
    if (rest.some((cell) => cell !== null)) {
      throw new BadInputFile(shownName, `row ${index + 1} has more than two columns (key, value)`);
    }
    if (key === null || key === undefined) return;
    pairs[String(key)] = cellJson(value);
  });
  return pairs;
}

/** pandas.json_normalize(sep="_"): nested mappings become `a_b` keys; lists stay as they are. */
export function flattenObject(value: JsonObject, prefix = ''): JsonObject {
  const flat: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}_${key}`;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      Object.assign(flat, flattenObject(inner, name));
    } else flat[name] = inner;
  }
  return flat;
}

/** NaN and infinities as the contract's strings; dates (YAML timestamps) as ISO text. */
export function cellJson(cell: Cell): JsonValue {
  if (typeof cell === 'number' && !Number.isFinite(cell)) {
    return Number.isNaN(cell) ? 'NaN' : cell > 0 ? 'Infinity' : '-Infinity';
  }
  return cell;
}

function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return cellJson(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) out[key] = toJson(inner);
    return out;
  }
  return String(value);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
