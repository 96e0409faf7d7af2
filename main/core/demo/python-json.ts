/**
 * Writes JSON the way Python's `json.dump(obj, f, sort_keys=True, indent=2)` does, which is
 * what Sacred's FileStorageObserver uses: ASCII only with \uXXXX escapes, bare NaN/Infinity
 * tokens, floats in Python's repr (1.0, 1e-05) and ints without a fraction.
 */

/** Forces float formatting for an integral value (Python writes 1.0, not 1). */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue =
  null | boolean | number | string | PyFloat | PyValue[] | { [key: string]: PyValue };

/** A JS integer is written as a Python int, anything else as a Python float. */
export function formatPyNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return formatPyFloat(value);
}

export function formatPyFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  // toExponential() without digits gives the shortest round-trip digits, like Python's repr.
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const rest = digits.slice(1);
    const expSign = exponent < 0 ? '-' : '+';
    const expDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0] ?? '0'}${rest.length > 0 ? `.${rest}` : ''}e${expSign}${expDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fracPart = digits.slice(exponent + 1);
  return `${sign}${intPart}.${fracPart.length > 0 ? fracPart : '0'}`;
}

const shortEscapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Python's ensure_ascii: everything outside space..~ becomes \uXXXX (lowercase hex). */
export function encodePyString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const code = text.charCodeAt(i);
    const short = shortEscapes[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function compareKeys(a: string, b: string): number {
  // Python sorts str by code point; for BMP text that equals UTF-16 order.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function dumpPyJson(value: PyValue, indent = 2): string {
  const parts: string[] = [];
  writeValue(value, 0, indent, parts);
  return parts.join('');
}

function writeValue(value: PyValue, level: number, indent: number, out: string[]): void {
  if (value === null) out.push('null');
  else if (value === true) out.push('true');
  else if (value === false) out.push('false');
  else if (typeof value === 'number') out.push(formatPyNumber(value));
  else if (typeof value === 'string') out.push(encodePyString(value));
  else if (value instanceof PyFloat) out.push(formatPyFloat(value.value));
  else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    const inner = '\n' + ' '.repeat((level + 1) * indent);
    out.push('[');
    value.forEach((item, index) => {
      out.push(index === 0 ? inner : ',' + inner);
      writeValue(item, level + 1, indent, out);
    });
    out.push('\n' + ' '.repeat(level * indent) + ']');
  } else {
    const keys = Object.keys(value).sort(compareKeys);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const inner = '\n' + ' '.repeat((level + 1) * indent);
    out.push('{');
    keys.forEach((key, index) => {
      out.push(index === 0 ? inner : ',' + inner);
      out.push(encodePyString(key), ': ');
      writeValue(value[key] as PyValue, level + 1, indent, out);
    });
    out.push('\n' + ' '.repeat(level * indent) + '}');
  }
}
