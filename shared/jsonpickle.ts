/**
 * Display-only decoding of the jsonpickle nodes Sacred writes into config, info and result
 * (SACRED_FORMAT.md §0 "Value encoding"). We never rebuild Python objects: we only turn a node
 * into one readable line, and the raw JSON stays available beside it.
 */

import { decodeBase64Bytes } from './base64-bytes';

type Node = { [key: string]: unknown };

const MAX_ITEMS = 16;
const MAX_TEXT = 200;

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A dict with any `py/…` key is a jsonpickle node (config keys can never look like that). */
export function isJsonpickleNode(value: unknown): value is Node {
  return isNode(value) && Object.keys(value).some((key) => key.startsWith('py/'));
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

function formatScalar(value: unknown): string {
  if (typeof value === 'string') {
    // Non-finite numbers arrive as these strings (shared/json-safe.ts); show them as numbers.
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
    return JSON.stringify(value);
  }
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

/** Python-ish rendering of any value, decoding nested nodes, capped so a cell stays short. */
function formatValue(value: unknown, depth = 0): string {
  if (depth > 6) return '…';
  const described = isJsonpickleNode(value) ? describeNode(value, depth + 1) : null;
  if (described !== null) return described;
  if (Array.isArray(value)) return `[${formatItems(value, depth)}]`;
  if (isNode(value)) {
    const entries = Object.entries(value);
    const shown = entries
      .slice(0, MAX_ITEMS)
      .map(([key, item]) => `${JSON.stringify(key)}: ${formatValue(item, depth + 1)}`);
    if (entries.length > MAX_ITEMS) shown.push('…');
    return `{${shown.join(', ')}}`;
  }
  return formatScalar(value);
}

function formatItems(items: unknown[], depth: number): string {
  const shown = items.slice(0, MAX_ITEMS).map((item) => formatValue(item, depth + 1));
  if (items.length > MAX_ITEMS) shown.push(`… ${items.length - MAX_ITEMS} more`);
  return shown.join(', ');
}

/**
 * The pickled state of datetime/date/time: base64 of the packed bytes (jsonpickle ≥1), a
 * `py/b64` node, or (very old jsonpickle) the bytes as a latin-1 string.
 */
function stateBytes(state: unknown, expected: number[]): Uint8Array | null {
  let text: string | null = null;
  if (typeof state === 'string') text = state;
  else if (isNode(state) && typeof state['py/b64'] === 'string') text = state['py/b64'];
  if (text === null) return null;
  const decoded = decodeBase64Bytes(text);
  if (decoded !== null && expected.includes(decoded.length)) return decoded;
  if (expected.includes(text.length) && [...text].every((ch) => ch.charCodeAt(0) < 256)) {
    return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
  }
  return null;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatClock(hour: number, minute: number, second: number, micro: number): string {
  const base = `${pad(hour)}:${pad(minute)}:${pad(second)}`;
  return micro > 0 ? `${base}.${pad(micro, 6)}` : base;
}

function describeDateLike(type: string, args: unknown[]): string | null {
  if (type === 'datetime.datetime') {
    const b = stateBytes(args[0], [10]);
    if (b === null) return null;
    const date = `${pad(((b[0] ?? 0) << 8) | (b[1] ?? 0), 4)}-${pad(b[2] ?? 0)}-${pad(b[3] ?? 0)}`;
    const micro = ((b[7] ?? 0) << 16) | ((b[8] ?? 0) << 8) | (b[9] ?? 0);
    const clock = formatClock(b[4] ?? 0, b[5] ?? 0, b[6] ?? 0, micro);
    const tz = args.length > 1 && args[1] !== null ? ` ${formatValue(args[1])}` : '';
    return `datetime ${date} ${clock}${tz}`;
  }
  if (type === 'datetime.date') {
    const b = stateBytes(args[0], [4]);
    if (b === null) return null;
    return `date ${pad(((b[0] ?? 0) << 8) | (b[1] ?? 0), 4)}-${pad(b[2] ?? 0)}-${pad(b[3] ?? 0)}`;
  }
  if (type === 'datetime.time') {
    const b = stateBytes(args[0], [6]);
    if (b === null) return null;
    const micro = ((b[3] ?? 0) << 16) | ((b[4] ?? 0) << 8) | (b[5] ?? 0);
    return `time ${formatClock(b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, micro)}`;
  }
  if (type === 'datetime.timezone') {
    // jsonpickle writes timezone(timedelta(...)) as a reduce of a reduce.
    const inner = isNode(args[0]) ? (args[0]['py/reduce'] ?? args[0]['__reduce__']) : null;
    const offset = Array.isArray(inner) ? argsOf(inner[1]) : [];
    if (offset.every((arg) => typeof arg === 'number')) {
      const [days = 0, seconds = 0] = offset as number[];
      const total = Math.round((days * 86_400 + seconds) / 60);
      if (total === 0) return 'UTC';
      const sign = total < 0 ? '-' : '+';
      return `UTC${sign}${pad(Math.floor(Math.abs(total) / 60))}:${pad(Math.abs(total) % 60)}`;
    }
  }
  if (type === 'datetime.timedelta' && args.every((arg) => typeof arg === 'number')) {
    const [days = 0, seconds = 0, micro = 0] = args as number[];
    return `timedelta ${days} days, ${seconds} s, ${micro} µs`;
  }
  return null;
}

function argsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isNode(value) && Array.isArray(value['py/tuple'])) return value['py/tuple'];
  return value === undefined ? [] : [value];
}

function typeName(value: unknown): string | null {
  if (isNode(value) && typeof value['py/type'] === 'string') return value['py/type'];
  if (isNode(value) && typeof value['py/function'] === 'string') return value['py/function'];
  return null;
}

function shapeOf(values: unknown): number[] {
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

function describeNdarray(node: Node): string {
  const dtype = typeof node.dtype === 'string' ? node.dtype : 'object';
  const values = node.values;
  if (Array.isArray(values)) {
    return clip(`ndarray ${dtype} [${shapeOf(values).join(', ')}] = ${formatValue(values)}`);
  }
  // More than 16 elements: values is base64 of a zlib buffer; the shape says enough.
  const shape = argsOf(node.shape).filter((n): n is number => typeof n === 'number');
  return `ndarray ${dtype} [${shape.join(', ')}]`;
}

/**
 * One line describing a jsonpickle node, e.g. "ndarray int64 [3] = [0, 1, 2]",
 * "datetime 2024-01-02 00:00:00", "tuple (1, 2)", "numpy.float64 1.5", "<mod.Class>";
 * null when the value is not a jsonpickle node.
 */
export function describeJsonpickle(value: unknown): string | null {
  return isJsonpickleNode(value) ? describeNode(value, 0) : null;
}

function describeNode(node: Node, depth: number): string {
  if (depth > 6) return '…';

  if ('py/tuple' in node) {
    const items = argsOf(node);
    return clip(`tuple (${formatItems(items, depth)}${items.length === 1 ? ',' : ''})`);
  }
  if ('py/set' in node) return clip(`set {${formatItems(argsOf(node['py/set']), depth)}}`);
  if ('py/b64' in node) {
    const bytes = typeof node['py/b64'] === 'string' ? decodeBase64Bytes(node['py/b64']) : null;
    return bytes === null ? 'bytes' : `bytes (${bytes.length} B)`;
  }
  if ('py/bytes' in node) return `bytes ${formatScalar(node['py/bytes'])}`;
  if ('py/id' in node) return `<reference to object #${formatScalar(node['py/id'])}>`;
  if ('py/ref' in node) return `<reference ${formatScalar(node['py/ref'])}>`;
  if ('py/type' in node) return `<class ${formatScalar(node['py/type']).replace(/^"|"$/gu, '')}>`;
  if ('py/function' in node) {
    return `<function ${formatScalar(node['py/function']).replace(/^"|"$/gu, '')}>`;
  }

  const reduce = node['py/reduce'] ?? node['__reduce__'];
  const objectType = typeof node['py/object'] === 'string' ? node['py/object'] : null;

  if (objectType === 'numpy.ndarray') return describeNdarray(node);
  if (objectType === 'pandas.core.frame.DataFrame' && isNode(node.values)) {
    // sacred 0.7-0.8.0 stored a DataFrame as {column: {row: value}}.
    const columns = Object.keys(node.values);
    const first = node.values[columns[0] ?? ''];
    const rows = isNode(first)
      ? Object.keys(first).length
      : Array.isArray(first)
        ? first.length
        : 0;
    return clip(`DataFrame ${rows} rows × ${columns.length} columns (${columns.join(', ')})`);
  }
  if (objectType !== null && objectType.startsWith('numpy.') && 'value' in node) {
    return `${objectType} ${formatValue(node.value, depth + 1)}`;
  }
  if (objectType === 'builtins.complex' || objectType === '__builtin__.complex') {
    const [re, im] = argsOf(node['py/newargs']);
    if (typeof re === 'number' && typeof im === 'number') {
      return `complex (${re}${im < 0 ? '-' : '+'}${Math.abs(im)}j)`;
    }
  }

  if (Array.isArray(reduce)) {
    const type = typeName(reduce[0]) ?? objectType;
    const args = argsOf(reduce[1]);
    if (type !== null) {
      const dateLike = describeDateLike(type, args);
      if (dateLike !== null) return dateLike;
      // OrderedDict and other dict subclasses: the items come as the fifth element.
      const items = argsOf(reduce[4]).map(argsOf);
      if (reduce.length >= 5 && items.length > 0 && items.every((pair) => pair.length === 2)) {
        const shown = items
          .slice(0, MAX_ITEMS)
          .map(([key, item]) => `${formatValue(key, depth + 1)}: ${formatValue(item, depth + 1)}`);
        if (items.length > MAX_ITEMS) shown.push('…');
        return clip(`${type}({${shown.join(', ')}})`);
      }
      return clip(`${type}(${formatItems(args, depth)})`);
    }
  }

  if (objectType !== null) return `<${objectType}>`;
  const tag = Object.keys(node).find((key) => key.startsWith('py/')) ?? 'py/?';
  return `<${tag}>`;
}

/**
 * Replaces every jsonpickle node in a tree with its one-line description (or what `wrap`
 * makes of it, so a tree view can style decoded values apart from real strings).
 */
export function decodeJsonpickleTree(
  value: unknown,
  wrap: (description: string, raw: unknown) => unknown = (description) => description,
): unknown {
  const described = describeJsonpickle(value);
  if (described !== null) return wrap(described, value);
  if (Array.isArray(value)) return value.map((item) => decodeJsonpickleTree(item, wrap));
  if (isNode(value)) {
    const out: Node = {};
    for (const [key, item] of Object.entries(value)) out[key] = decodeJsonpickleTree(item, wrap);
    return out;
  }
  return value;
}
