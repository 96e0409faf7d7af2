/**
 * Character-level reading for the filter language. The parser asks for what it expects
 * next (a path, a value, an operator), so bare words and dates need no separate token pass
 * and every error knows its offset.
 */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'contains',
  'matches',
  'exists',
  'missing',
  'true',
  'false',
  'null',
]);

const IDENT_START = /[A-Za-z_]/u;
const IDENT_PART = /[A-Za-z0-9_-]/u;
const BARE_PART = /[A-Za-z0-9_.:/@+-]/u;
const NUMBER = /-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/uy;
const DATE =
  /[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?/uy;

export class FilterScanner {
  pos = 0;

  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/u.test(this.text[this.pos] as string)) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  peekChar(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  /** Consumes `literal` (after spaces) when it is next. */
  eat(literal: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(literal, this.pos)) {
      this.pos += literal.length;
      return true;
    }
    return false;
  }

  /** The next word in lower case without consuming it, or '' when no word is next. */
  peekWord(): string {
    this.skipSpace();
    let end = this.pos;
    if (!IDENT_START.test(this.text[end] ?? '')) return '';
    while (end < this.text.length && IDENT_PART.test(this.text[end] as string)) end++;
    return this.text.slice(this.pos, end).toLowerCase();
  }

  /** Consumes the keyword when it is the next whole word (case-insensitive). */
  eatKeyword(keyword: string): boolean {
    if (this.peekWord() !== keyword) return false;
    this.pos += keyword.length;
    return true;
  }

  identifier(): string | null {
    this.skipSpace();
    if (!IDENT_START.test(this.text[this.pos] ?? '')) return null;
    const start = this.pos;
    while (this.pos < this.text.length && IDENT_PART.test(this.text[this.pos] as string)) {
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  /** A key segment after a dot: digits and dashes allowed first, no spaces before it. */
  segment(): string | null {
    const start = this.pos;
    const quote = this.text[start];
    if (quote === '"' || quote === "'") return this.quoted();
    while (this.pos < this.text.length && IDENT_PART.test(this.text[this.pos] as string)) {
      this.pos++;
    }
    return this.pos > start ? this.text.slice(start, this.pos) : null;
  }

  isQuoteNext(): boolean {
    const c = this.peekChar();
    return c === '"' || c === "'";
  }

  /** A string in double or single quotes with JSON escapes (plus \' ). */
  quoted(): string {
    this.skipSpace();
    const start = this.pos;
    const quote = this.text[start];
    if (quote !== '"' && quote !== "'")
      throw new FilterSyntaxError('expected a quoted string', start);
    let out = '';
    let i = start + 1;
    for (;;) {
      const c = this.text[i];
      if (c === undefined) throw new FilterSyntaxError('unterminated string', start);
      if (c === quote) break;
      if (c === '\\') {
        const next = this.text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          "'": "'",
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (next !== undefined && simple[next] !== undefined) {
          out += simple[next];
          i += 2;
          continue;
        }
        if (next === 'u' && /^[0-9a-fA-F]{4}$/u.test(this.text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        throw new FilterSyntaxError('unknown escape in string', i);
      }
      out += c;
      i++;
    }
    this.pos = i + 1;
    return out;
  }

  date(): string | null {
    this.skipSpace();
    DATE.lastIndex = this.pos;
    const match = DATE.exec(this.text);
    if (match === null || IDENT_PART.test(this.text[this.pos + match[0].length] ?? '')) return null;
    if (Number.isNaN(Date.parse(match[0]))) {
      throw new FilterSyntaxError(`"${match[0]}" is not a valid date`, this.pos);
    }
    this.pos += match[0].length;
    return match[0];
  }

  number(): number | null {
    this.skipSpace();
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) return null;
    const after = this.text[this.pos + match[0].length] ?? '';
    if (IDENT_START.test(after) || after === '.') return null;
    const value = Number(match[0]);
    if (!Number.isFinite(value)) throw new FilterSyntaxError('number out of range', this.pos);
    this.pos += match[0].length;
    return value;
  }

  /** An unquoted string value such as COMPLETED or gpu-01.lab. */
  bareWord(): string | null {
    this.skipSpace();
    if (!IDENT_START.test(this.text[this.pos] ?? '')) return null;
    const start = this.pos;
    while (this.pos < this.text.length && BARE_PART.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** `/pattern/flags`; the pattern keeps its escapes as the RegExp constructor wants them. */
  regexLiteral(): { pattern: string; flags: string } | null {
    this.skipSpace();
    if (this.text[this.pos] !== '/') return null;
    const start = this.pos;
    let i = start + 1;
    let pattern = '';
    for (;;) {
      const c = this.text[i];
      if (c === undefined) throw new FilterSyntaxError('unterminated regular expression', start);
      if (c === '/') break;
      if (c === '\\' && this.text[i + 1] === '/') {
        pattern += '/';
        i += 2;
        continue;
      }
      if (c === '\\' && this.text[i + 1] !== undefined) {
        pattern += c + (this.text[i + 1] as string);
        i += 2;
        continue;
      }
      pattern += c;
      i++;
    }
    i++;
    const flagsStart = i;
    while (i < this.text.length && /[a-z]/u.test(this.text[i] as string)) i++;
    this.pos = i;
    return { pattern, flags: this.text.slice(flagsStart, i) };
  }

  /** For messages: what is at the cursor. */
  describeHere(): string {
    this.skipSpace();
    if (this.pos >= this.text.length) return 'the end';
    const rest = this.text.slice(this.pos);
    const word = /^[^\s()]+/u.exec(rest)?.[0] ?? rest[0] ?? '';
    return `"${word.length > 20 ? `${word.slice(0, 20)}…` : word}"`;
  }
}
