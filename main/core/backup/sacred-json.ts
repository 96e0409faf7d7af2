import { Double, Int32, Long } from 'bson';

/**
 * Sacred's JSON files (Python's json module) read into BSON-typed values and written back the
 * way Python writes them, so a run moved folder → MongoDB → folder keeps `10.0` a float,
 * `NaN` a NaN and large ints exact, as the MongoObserver would have stored them.
 */
const MARK = '\u0000altar-number:';
/** The mark as JSON text: a raw NUL is not allowed inside a JSON string. */
const MARK_JSON = '\\u0000altar-number:';
// Strings are matched whole, so number-looking text inside them is left alone.
const TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/gu;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function parseSacredJson(text: string): unknown {
  const marked = text.replace(TOKENS, (token) => {
    if (token.startsWith('"')) return token;
    const isFloat = /[.eE]|Infinity|NaN/u.test(token);
    if (isFloat) {
      const value = Number(token);
      // Only floats JavaScript would take for ints need marking; 0.5 stays a number (a double).
      return Number.isInteger(value) || !Number.isFinite(value) ? `"${MARK_JSON}d${token}"` : token;
    }
    const value = Number(token);
    return value < INT32_MIN || value > INT32_MAX ? `"${MARK_JSON}l${token}"` : token;
  });
  return JSON.parse(marked, (_key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith(MARK)) {
      const body = value.slice(MARK.length + 1);
      if (value[MARK.length] === 'l') return Long.fromString(body);
      return new Double(
        body === 'Infinity' ? Infinity : body === '-Infinity' ? -Infinity : Number(body),
      );
    }
    if (typeof value === 'number' && Number.isInteger(value)) return new Int32(value);
    return value;
  });
}

/** Python's `repr(float)`: shortest digits, exponent below 1e-4 and from 1e16, `.0` on whole numbers. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    const fixed = String(value);
    return /[.e]/u.test(fixed) ? fixed : `${fixed}.0`;
  }
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function isBsonType(value: object, type: string): boolean {
  return (value as { _bsontype?: unknown })._bsontype === type;
}

/** Time as FileStorage writes it: ISO without a zone (UTC), the fraction left out when zero. */
export function sacredTime(date: Date): string {
  const iso = date.toISOString();
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? iso.slice(0, 19) : `${iso.slice(0, 19)}.${String(ms).padStart(3, '0')}000`;
}

function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0080-\uffff]/gu,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `json.dumps(value, sort_keys=True, indent=2)` as Sacred's FileStorageObserver writes files. */
export function pythonJson(value: unknown, indent = '', sortKeys = true): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (value instanceof Date) return quote(sacredTime(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${value.map((item) => inner + pythonJson(item, inner, sortKeys)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    if (isBsonType(value, 'Int32')) return String((value as Int32).value);
    if (isBsonType(value, 'Long')) return (value as Long).toString();
    if (isBsonType(value, 'Double')) return pythonFloat((value as Double).value);
    if (isBsonType(value, 'ObjectId'))
      return quote((value as { toHexString(): string }).toHexString());
    if (isBsonType(value, 'Decimal128')) return String(value);
    if (isBsonType(value, 'Binary')) {
      // jsonpickle's spelling of bytes.
      return pythonJson(
        { 'py/b64': (value as { toString(encoding: 'base64'): string }).toString('base64') },
        indent,
        sortKeys,
      );
    }
    const keys = Object.keys(value);
    if (sortKeys) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (keys.length === 0) return '{}';
    const inner = `${indent}  `;
    const record = value as Record<string, unknown>;
    return `{\n${keys.map((key) => `${inner}${quote(key)}: ${pythonJson(record[key], inner, sortKeys)}`).join(',\n')}\n${indent}}`;
  }
  return 'null';
}
