import { FileRefusedError, formatCap, openRegularFileSized } from '../files/regular-file';
import type { OpenHints } from '../files/regular-file';
import type { ParsedMetric } from './parsed-run';
import { sacredTimeBytesToMs, sacredTimeToMs } from './sacred-time';
import { unconvertedWarnings } from '../unconverted-points';
import type { UnconvertedPoints } from '../unconverted-points';
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './json-byte-codes';

// metrics.json can hold millions of points (100+ MB) and is not strict JSON (bare NaN/Infinity),
// so it is tokenized byte by byte from fixed-size chunks straight into typed arrays: the file is
// never one JS string and the points never become JS objects.

/** Float64Array that doubles when full. */
class GrowableFloat64 {
  private data: Float64Array;
  length = 0;

  /** `capacity`: how many values are likely (a metric's arrays are as long as each other). */
  constructor(capacity: number) {
    this.data = new Float64Array(capacity > 0 ? capacity : 256);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /**
   * The first `count` values in an array of exactly that length, so no spare capacity is kept
   * (or moved to the core's thread): the array itself when it is full, else a copy.
   */
  take(count: number): Float64Array {
    return count === this.data.length ? this.data : this.data.slice(0, count);
  }
}

const FIELD_STEPS = 0;
const FIELD_TIMESTAMPS = 1;
const FIELD_VALUES = 2;
const FIELD_OTHER = -1;

function fieldOf(key: string): number {
  if (key === 'steps') return FIELD_STEPS;
  if (key === 'timestamps') return FIELD_TIMESTAMPS;
  if (key === 'values') return FIELD_VALUES;
  return FIELD_OTHER;
}

class MetricBuilder {
  readonly fields: (GrowableFloat64 | null)[] = [null, null, null];
  /** Points that were not numbers / not readable times (a note on the run says so). */
  readonly lost: UnconvertedPoints = { notNumbers: 0, badTimes: 0 };
  constructor(readonly name: string) {}
}

// Frame kinds of the container stack.
const ROOT = 1; // the top-level object: keys are metric names
const METRIC = 2; // one metric's object: keys are field names
const FIELD = 3; // the steps/timestamps/values array being filled
const SKIP_OBJECT = 4; // anything else is walked over without keeping it
const SKIP_ARRAY = 5;

// Byte codes.
const MINUS = 0x2d;
const DOT = 0x2e;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_EXACT_MANTISSA = 2 ** 53;

function isWordByte(c: number): boolean {
  // letters, digits, '+', '-', '.': enough for numbers, true/false/null and NaN/Infinity.
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    c === MINUS ||
    c === 0x2b ||
    c === DOT
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Number for a bare word, or undefined when it is not a JSON number or literal. Decimals with at
 * most 2^53 as mantissa and 22 fraction digits are exact as one division (Clinger's fast path);
 * everything else goes through Number().
 */
function wordValue(buf: Buffer, start: number, end: number): number | null | undefined {
  let i = start;
  let negative = false;
  if (buf[i] === MINUS) {
    negative = true;
    i++;
  }
  const first = buf[i];
  if (first !== undefined && first >= 0x30 && first <= 0x39) {
    let mantissa = 0;
    let fractionDigits = 0;
    let inFraction = false;
    for (; i < end; i++) {
      const c = buf[i] as number;
      if (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        if (inFraction) fractionDigits++;
      } else if (c === DOT && !inFraction) {
        inFraction = true;
      } else {
        break;
      }
    }
    if (i === end && mantissa <= MAX_EXACT_MANTISSA && fractionDigits <= 22) {
      const magnitude = mantissa / (POW10[fractionDigits] as number);
      return negative ? -magnitude : magnitude;
    }
    const text = buf.toString('latin1', start, end);
    const n = Number(text);
    return Number.isNaN(n) ? undefined : n;
  }
  const word = buf.toString('latin1', start, end);
  switch (word) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case 'true':
      return 1;
    case 'false':
      return 0;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

class MetricsTokenizer {
  readonly completed: MetricBuilder[] = [];
  current: MetricBuilder | null = null;
  /** Byte offset (in the file) of the first syntax error, or -1. */
  errorAt = -1;
  errorText = '';
  done = false;
  sawAnything = false;

  private readonly kinds: number[] = [];
  /** Per frame: an object frame waiting for its next key. */
  private readonly expectKey: boolean[] = [];
  private metricName = '';
  private field = FIELD_OTHER;
  private target: GrowableFloat64 | null = null;
  private targetIsTime = false;

  constructor(private readonly pointScan: boolean) {}

  /**
   * Consumes complete tokens of buf[start, end) and returns where the first incomplete one
   * starts (the caller carries those bytes over to the next chunk). `fileOffset` is the file
   * position of buf[0], for error messages.
   */
  feed(buf: Buffer, start: number, end: number, fileOffset: number): number {
    let i = start;
    while (i < end) {
      if (this.done || this.errorAt >= 0) return end;
      if (this.pointScan && this.target !== null && this.topKind() === FIELD) {
        i = this.scanPoints(buf, i, end);
        if (i >= end) return end;
      }
      const c = buf[i] as number;
      if (isSpace(c)) {
        i++;
        continue;
      }
      this.sawAnything = true;
      if (c === QUOTE) {
        let j = i + 1;
        let escaped = false;
        while (j < end) {
          const d = buf[j] as number;
          if (d === QUOTE) break;
          if (d === BACKSLASH) {
            escaped = true;
            j += 2;
          } else {
            j++;
          }
        }
        if (j >= end) return i;
        this.onString(buf, i, j + 1, escaped, fileOffset);
        i = j + 1;
        continue;
      }
      if (isWordByte(c)) {
        let j = i + 1;
        while (j < end && isWordByte(buf[j] as number)) j++;
        if (j >= end) return i;
        const value = wordValue(buf, i, j);
        if (value === undefined) {
          this.fail(
            fileOffset + i,
            `unexpected "${buf.toString('latin1', i, Math.min(j, i + 20))}"`,
          );
          return end;
        }
        this.onScalar(value === null ? NaN : value, fileOffset + i);
        i = j;
        continue;
      }
      switch (c) {
        case OPEN_BRACE:
          this.onOpen(true, fileOffset + i);
          break;
        case OPEN_BRACKET:
          this.onOpen(false, fileOffset + i);
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.onClose(c === CLOSE_BRACE, fileOffset + i);
          break;
        case COMMA:
          if (this.kinds.length > 0) this.expectKey[this.expectKey.length - 1] = this.isObjectTop();
          break;
        case COLON:
          break;
        default:
          this.fail(fileOffset + i, `unexpected byte 0x${c.toString(16).padStart(2, '0')}`);
          return end;
      }
      i++;
    }
    return end;
  }

  /**
   * The points of the array being filled, in the shapes nearly every point has: a plain decimal
   * (digits, an optional fraction) in steps/values, a time string without escapes in timestamps.
   * Stops before anything else (the array's end, NaN, an exponent, a token cut by the chunk's
   * end, ...), which the byte-by-byte path of `feed` then reads: the same numbers and the same
   * notes either way, here without a call per byte and per token. Returns where it stopped.
   */
  private scanPoints(buf: Buffer, start: number, end: number): number {
    const target = this.target as GrowableFloat64;
    const isTime = this.targetIsTime;
    let i = start;
    while (i < end) {
      const c = buf[i] as number;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === COMMA) {
        i++;
        continue;
      }
      if (isTime) {
        if (c !== QUOTE) return i;
        let j = i + 1;
        while (j < end) {
          const d = buf[j] as number;
          if (d === QUOTE || d === BACKSLASH) break;
          j++;
        }
        if (j >= end || buf[j] !== QUOTE) return i;
        const time = sacredTimeBytesToMs(buf, i + 1, j);
        if (time === undefined) return i;
        target.push(time);
        i = j + 1;
        continue;
      }
      let j = i;
      if (c === MINUS) j++;
      let mantissa = 0;
      let digits = 0;
      let d = buf[j] as number;
      while (j < end && d >= 0x30 && d <= 0x39) {
        mantissa = mantissa * 10 + (d - 0x30);
        digits++;
        d = buf[++j] as number;
      }
      if (digits === 0) return i;
      let fractionDigits = 0;
      if (j < end && d === DOT) {
        d = buf[++j] as number;
        while (j < end && d >= 0x30 && d <= 0x39) {
          mantissa = mantissa * 10 + (d - 0x30);
          fractionDigits++;
          d = buf[++j] as number;
        }
        if (fractionDigits === 0) return i;
      }
      // The word must end inside this chunk, and here: "1e5", "1.2.3" are the other path's.
      if (j >= end || isWordByte(d)) return i;
      if (mantissa <= MAX_EXACT_MANTISSA && fractionDigits <= 22) {
        const magnitude = mantissa / (POW10[fractionDigits] as number);
        target.push(c === MINUS ? -magnitude : magnitude);
      } else {
        // Python's floats have 17 digits: too many for one exact division, so as wordValue.
        target.push(Number(buf.toString('latin1', i, j)));
      }
      i = j;
    }
    return i;
  }

  private fail(at: number, text: string): void {
    if (this.errorAt < 0) {
      this.errorAt = at;
      this.errorText = text;
    }
  }

  private isObjectTop(): boolean {
    const top = this.kinds[this.kinds.length - 1];
    return top === ROOT || top === METRIC || top === SKIP_OBJECT;
  }

  private topKind(): number {
    return this.kinds[this.kinds.length - 1] ?? 0;
  }

  private push(kind: number, isObject: boolean): void {
    this.kinds.push(kind);
    this.expectKey.push(isObject);
  }

  private onOpen(isObject: boolean, at: number): void {
    const top = this.topKind();
    if (top === 0) {
      if (!isObject) {
        this.fail(at, 'the file does not hold an object of metrics');
        return;
      }
      this.push(ROOT, true);
      return;
    }
    if (top === ROOT && isObject) {
      this.current = new MetricBuilder(this.metricName);
      this.push(METRIC, true);
      return;
    }
    if (top === METRIC && !isObject && this.field !== FIELD_OTHER && this.current) {
      // As long as the metric's arrays read before it, most likely: no doubling, no last copy.
      const known = this.current.fields.reduce((most, f) => Math.max(most, f?.length ?? 0), 0);
      this.target = new GrowableFloat64(known);
      this.targetIsTime = this.field === FIELD_TIMESTAMPS;
      this.current.fields[this.field] = this.target;
      this.push(FIELD, false);
      return;
    }
    // A container where a point belongs still takes one slot, so the three arrays stay aligned.
    if (top === FIELD) {
      this.target?.push(NaN);
      this.countLost();
    }
    this.push(isObject ? SKIP_OBJECT : SKIP_ARRAY, isObject);
  }

  private onClose(isObject: boolean, at: number): void {
    const top = this.topKind();
    const topIsObject = top === ROOT || top === METRIC || top === SKIP_OBJECT;
    if (top === 0 || topIsObject !== isObject) {
      this.fail(at, `unexpected "${isObject ? '}' : ']'}"`);
      return;
    }
    this.kinds.pop();
    this.expectKey.pop();
    if (top === FIELD) {
      this.target = null;
    } else if (top === METRIC && this.current) {
      this.completed.push(this.current);
      this.current = null;
    } else if (top === ROOT) {
      this.done = true;
    }
  }

  private onString(buf: Buffer, start: number, end: number, escaped: boolean, fileOffset: number) {
    const top = this.topKind();
    const lastFrame = this.expectKey.length - 1;
    if (top === FIELD) {
      const time =
        this.targetIsTime && !escaped ? sacredTimeBytesToMs(buf, start + 1, end - 1) : undefined;
      if (time !== undefined) {
        this.target?.push(time);
        return;
      }
      const text = this.decode(buf, start, end, escaped, fileOffset);
      if (text === null) return;
      const n = this.targetIsTime ? sacredTimeToMs(text) : text.trim() === '' ? NaN : Number(text);
      if (Number.isNaN(n)) this.countLost();
      this.target?.push(n);
      return;
    }
    if (lastFrame >= 0 && this.expectKey[lastFrame]) {
      this.expectKey[lastFrame] = false;
      if (top === ROOT || top === METRIC) {
        const key = this.decode(buf, start, end, escaped, fileOffset);
        if (key === null) return;
        if (top === ROOT) this.metricName = key;
        else this.field = fieldOf(key);
      }
      return;
    }
    if (top === 0) this.fail(fileOffset + start, 'the file does not hold an object of metrics');
  }

  /** The point being read could not be kept as written. */
  private countLost(): void {
    const lost = this.current?.lost;
    if (lost === undefined) return;
    if (this.targetIsTime) lost.badTimes++;
    else if (this.field === FIELD_VALUES) lost.notNumbers++;
  }

  private decode(
    buf: Buffer,
    start: number,
    end: number,
    escaped: boolean,
    fileOffset: number,
  ): string | null {
    if (!escaped) return buf.toString('utf8', start + 1, end - 1);
    try {
      return JSON.parse(buf.toString('utf8', start, end)) as string;
    } catch {
      this.fail(fileOffset + start, 'invalid string escape');
      return null;
    }
  }

  private onScalar(value: number, at: number): void {
    const top = this.topKind();
    if (top === FIELD) {
      // A number is no time: Sacred writes isoformat strings (null is just "no time").
      if (this.targetIsTime && !Number.isNaN(value)) this.countLost();
      this.target?.push(this.targetIsTime ? NaN : value);
      return;
    }
    if (top === 0) this.fail(at, 'the file does not hold an object of metrics');
    const lastFrame = this.expectKey.length - 1;
    if (lastFrame >= 0) this.expectKey[lastFrame] = false;
  }
}

function finishMetric(builder: MetricBuilder, cut: boolean, warnings: string[]): ParsedMetric {
  const [steps, timestamps, values] = builder.fields;
  const present = [steps, timestamps, values].filter((f): f is GrowableFloat64 => f !== null);
  const count = values ? Math.min(...present.map((f) => f.length)) : 0;
  if (!cut) {
    const lengths = present.map((f) => f.length);
    if (!values) warnings.push(`metric "${builder.name}" has no values`);
    else if (lengths.some((length) => length !== count)) {
      warnings.push(
        `metric "${builder.name}": steps, timestamps and values have different lengths ` +
          `(${steps?.length ?? '-'}, ${timestamps?.length ?? '-'}, ${values.length}); kept the first ${count} points`,
      );
    }
  }
  warnings.push(...unconvertedWarnings(builder.name, builder.lost));
  const stepArray = steps ? steps.take(count) : Float64Array.from({ length: count }, (_, i) => i);
  const timeArray = timestamps ? timestamps.take(count) : new Float64Array(count).fill(NaN);
  return {
    name: builder.name,
    steps: stepArray,
    timestamps: timeArray,
    values: values ? values.take(count) : new Float64Array(0),
  };
}

export interface MetricsFileResult {
  metrics: ParsedMetric[];
  /** Why some points may be missing (truncated or invalid file, ragged arrays), or null. */
  warning: string | null;
  /** True when the file was empty or ended early, as it does while Sacred rewrites it. */
  truncated: boolean;
  /** True when the file stopped being JSON somewhere (also worth reading again). */
  invalid: boolean;
}

/**
 * Reads Sacred's metrics.json (`{name: {steps, timestamps, values}}`) in chunks. On a truncated
 * or broken file it returns every point read completely before the problem, with a warning.
 */
export async function readMetricsFile(
  path: string,
  options: {
    chunkBytes?: number;
    hints?: OpenHints;
    /**
     * false reads every point byte by byte, as every point was read before the points' scan:
     * the reference the tests hold the scan to.
     */
    pointScan?: boolean;
    /** A file larger than this when opened is refused (FileRefusedError), none of it read. */
    maxBytes?: number;
  } = {},
): Promise<MetricsFileResult> {
  const tokenizer = new MetricsTokenizer(options.pointScan ?? true);
  const { handle, size } = await openRegularFileSized(
    path,
    'metrics.json',
    undefined,
    options.hints,
  );
  // No bigger than the file (plus the byte that finds its end): most metrics.json files are
  // tens of KB, and a fresh 1 MiB buffer per run is garbage a 20k-run sync pays for.
  const chunkBytes = Math.max(16, Math.min(options.chunkBytes ?? 1 << 20, size + 1));
  let position = 0;
  try {
    if (options.maxBytes !== undefined && size > options.maxBytes) {
      throw new FileRefusedError(
        'ETOOBIG',
        `metrics.json is larger than ${formatCap(options.maxBytes)}; it is not read`,
      );
    }
    let buf = Buffer.allocUnsafe(chunkBytes);
    let carry = 0;
    for (;;) {
      if (buf.length < carry + chunkBytes) {
        // A token longer than a chunk (a very long key): grow so it fits whole.
        const bigger = Buffer.allocUnsafe(carry + chunkBytes);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, carry, chunkBytes, position);
      if (bytesRead === 0) break;
      const end = carry + bytesRead;
      const consumed = tokenizer.feed(buf, 0, end, position - carry);
      position += bytesRead;
      if (tokenizer.done || tokenizer.errorAt >= 0) break;
      carry = end - consumed;
      if (carry > 0) buf.copy(buf, 0, consumed, end);
    }
  } finally {
    await handle.close();
  }

  const totalBytes = position;
  const warnings: string[] = [];
  const cut = !tokenizer.done;
  let truncated = false;
  if (!tokenizer.sawAnything && tokenizer.errorAt < 0) {
    truncated = true;
    warnings.push(
      totalBytes === 0
        ? 'metrics.json is empty (it may be being rewritten)'
        : 'metrics.json holds only whitespace',
    );
  } else if (tokenizer.errorAt >= 0) {
    warnings.push(
      `metrics.json is not valid JSON at byte ${tokenizer.errorAt} (${tokenizer.errorText}); ` +
        'showing the points read before it',
    );
  } else if (cut) {
    truncated = true;
    warnings.push(
      'metrics.json is truncated (it may be being rewritten); showing the points read before the cut',
    );
  }

  const metrics = tokenizer.completed.map((builder) => finishMetric(builder, false, warnings));
  if (tokenizer.current) {
    const partial = finishMetric(tokenizer.current, true, warnings);
    // A metric cut before its first complete point tells the user nothing.
    if (partial.values.length > 0) metrics.push(partial);
  }
  return {
    metrics,
    warning: warnings.length > 0 ? warnings.join('; ') : null,
    truncated,
    invalid: tokenizer.errorAt >= 0,
  };
}
