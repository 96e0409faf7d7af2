// Sacred writes `datetime.isoformat()` of naive UTC datetimes: no zone, and no fraction when the
// microseconds are 0. `new Date()` would read such strings as local time, so they are parsed by hand.

const CODE_0 = 48;

function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - CODE_0;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Minutes east of UTC for "Z", "+HH:MM", "+HHMM" or "+HH" starting at `at`, or null if malformed. */
function offsetMinutes(text: string, at: number): number | null {
  const rest = text.length - at;
  if (rest === 0) return 0;
  const c = text.charCodeAt(at);
  if (rest === 1 && (c === 90 || c === 122)) return 0; // Z or z
  if (c !== 43 && c !== 45) return null; // + or -
  const sign = c === 45 ? -1 : 1;
  const hours = digitsAt(text, at + 1, 2);
  if (hours < 0) return null;
  let minutes: number;
  if (rest === 3) minutes = 0;
  else if (rest === 5) minutes = digitsAt(text, at + 3, 2);
  else if (rest === 6 && text.charCodeAt(at + 3) === 58) minutes = digitsAt(text, at + 4, 2);
  else return null;
  if (minutes < 0) return null;
  return sign * (hours * 60 + minutes);
}

/**
 * Milliseconds since the epoch for a Sacred time string ("2026-11-26T21:32:02.437988", with or
 * without fraction; a trailing Z or offset is honoured, none means UTC), microseconds kept as
 * the fraction (…02.437988 → …437.988). NaN when unparseable.
 */
export function sacredTimeToMs(text: string): number {
  const len = text.length;
  if (len < 10) return NaN;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  if (len === 10) return Date.UTC(year, month - 1, day);

  const sep = text.charCodeAt(10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return NaN; // T, space, t
  if (len < 16 || text.charCodeAt(13) !== 58) return NaN;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;

  let pos = 16;
  let second = 0;
  let millis = 0;
  if (pos < len && text.charCodeAt(pos) === 58) {
    second = digitsAt(text, 17, 2);
    if (second < 0 || second > 60) return NaN;
    pos = 19;
    if (pos < len && (text.charCodeAt(pos) === 46 || text.charCodeAt(pos) === 44)) {
      pos++;
      const fracStart = pos;
      // Microseconds are kept as a fraction of a millisecond (a double holds them at today's
      // epoch): metrics logged faster than 1 kHz need them to plot against time.
      let fraction = 0;
      let digits = 0;
      while (pos < len) {
        const d = text.charCodeAt(pos) - CODE_0;
        if (d < 0 || d > 9) break;
        if (digits < 9) {
          fraction = fraction * 10 + d;
          digits++;
        }
        pos++;
      }
      if (pos === fracStart) return NaN;
      millis = fraction / 10 ** (digits - 3);
    }
  }
  const offset = offsetMinutes(text, pos);
  if (offset === null) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000 + millis;
}

/** ISO 8601 with a trailing Z for a Sacred time (string or Date), or null when there is none. */
export function sacredTimeToIso(value: unknown): string | null {
  let ms: number;
  if (typeof value === 'string') ms = sacredTimeToMs(value.trim());
  else if (value instanceof Date) ms = value.getTime();
  else return null;
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Notes for the run times that were written but cannot be read as times (they are shown as
 * none): a run is never changed silently.
 */
export function unreadableTimeWarnings(run: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const field of ['start_time', 'stop_time', 'heartbeat']) {
    const value = run[field];
    if (value === undefined || value === null || sacredTimeToIso(value) !== null) continue;
    const shown = value instanceof Date ? 'an invalid date' : JSON.stringify(value).slice(0, 60);
    out.push(`${field} ${shown} is not a readable time (shown as none)`);
  }
  return out;
}

/** `10 ** (digits - 3)` for 0..9 digits, the divisors sacredTimeToMs computes each time. */
const FRACTION_DIVISORS = Array.from({ length: 10 }, (_, digits) => 10 ** (digits - 3));

let cachedDayKey = -1;
let cachedDayMs = 0;

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(bytes: Uint8Array, at: number): number {
  const a = (bytes[at] as number) - CODE_0;
  const b = (bytes[at + 1] as number) - CODE_0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * sacredTimeToMs of the UTF-8 bytes [start, end), for the shape Sacred writes into every
 * metric point ("2026-11-26T21:32:02.437988": no zone), read without making a string: a
 * metrics.json holds one per point, and the strings were a fifth of a folder sync's reading.
 * Undefined for any other shape (a zone, no seconds, a bad digit): the caller then decodes the
 * text and asks sacredTimeToMs, which gives the same number for the shapes read here.
 */
export function sacredTimeBytesToMs(
  bytes: Uint8Array,
  start: number,
  end: number,
): number | undefined {
  const len = end - start;
  if (len < 19 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return undefined;
  const sep = bytes[start + 10];
  if (sep !== 84 && sep !== 32 && sep !== 116) return undefined; // T, space, t
  if (bytes[start + 13] !== 58 || bytes[start + 16] !== 58) return undefined;
  const century = twoDigits(bytes, start);
  const yearEnd = twoDigits(bytes, start + 2);
  const month = twoDigits(bytes, start + 5);
  const day = twoDigits(bytes, start + 8);
  const hour = twoDigits(bytes, start + 11);
  const minute = twoDigits(bytes, start + 14);
  const second = twoDigits(bytes, start + 17);
  if (century < 0 || yearEnd < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
    return undefined;
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return undefined;
  }
  let millis = 0;
  if (len > 19) {
    const dot = bytes[start + 19];
    if ((dot !== 46 && dot !== 44) || len === 20) return undefined;
    let fraction = 0;
    let digits = 0;
    for (let i = start + 20; i < end; i++) {
      const d = (bytes[i] as number) - CODE_0;
      if (d < 0 || d > 9) return undefined;
      if (digits < 9) {
        fraction = fraction * 10 + d;
        digits++;
      }
    }
    millis = fraction / (FRACTION_DIVISORS[digits] as number);
  }
  const year = century * 100 + yearEnd;
  // Points of a run fall on few days: Date.UTC once per day, the rest is arithmetic.
  const dayKey = (year * 100 + month) * 100 + day;
  if (dayKey !== cachedDayKey) {
    cachedDayMs = Date.UTC(year, month - 1, day);
    cachedDayKey = dayKey;
  }
  return cachedDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}
