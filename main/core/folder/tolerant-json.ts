import { basename } from 'node:path';
import { FileRefusedError, readRegularFile } from '../files/regular-file';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { hintsFor } from './run-dir-listing';
import type { ListedKind } from './run-dir-listing';

// Python's json.dump writes NaN, Infinity and -Infinity as bare tokens, which JSON.parse rejects.
// They are swapped for sentinel strings (only outside string literals) and swapped back by a reviver.
const SENTINEL_PREFIX = '\u0000altar-nonfinite:';
const SENTINEL_JSON: Record<string, string> = {
  NaN: '"\\u0000altar-nonfinite:NaN"',
  Infinity: '"\\u0000altar-nonfinite:Infinity"',
  '-Infinity': '"\\u0000altar-nonfinite:-Infinity"',
};
const SENTINEL_VALUE: Record<string, number> = {
  [`${SENTINEL_PREFIX}NaN`]: NaN,
  [`${SENTINEL_PREFIX}Infinity`]: Infinity,
  [`${SENTINEL_PREFIX}-Infinity`]: -Infinity,
};

// String literals are matched whole so that tokens inside them ("NaN is fine") are left alone.
// The unrolled form keeps the regex engine from stacking one backtrack point per character.
const TOKENS_OUTSIDE_STRINGS = /"[^"\\]*(?:\\.[^"\\]*)*"|-?Infinity|NaN/g;

function reviveNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(SENTINEL_PREFIX)) {
    const n = SENTINEL_VALUE[value];
    if (n !== undefined) return n;
  }
  return value;
}

/** Thrown for text that is not JSON even with NaN/Infinity allowed. */
export class TolerantJsonError extends Error {
  /** True when the text ended early, as a file caught in the middle of a rewrite does. */
  readonly truncated: boolean;

  constructor(message: string, truncated: boolean) {
    super(message);
    this.name = 'TolerantJsonError';
    this.truncated = truncated;
  }
}

function looksTruncated(text: string, error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  if (/end of (JSON )?input|Unterminated string/i.test(message)) return true;
  // V8 reports "Expected ',' or ']' ... at position N" when the text simply stops.
  const position = /at position (\d+)/.exec(message);
  return position !== null && Number(position[1]) >= text.trimEnd().length;
}

/** Control characters, C1 controls and U+FFFD (what undecodable bytes become). */
function isUnprintable(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0xfffd;
}

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return ch.length > 0 && code !== 0x20 && !isUnprintable(code)
    ? `"${ch}"`
    : `character ${codePoint(ch)}`;
}

/**
 * V8 quotes the start of the text in its message ("Unexpected token 'x', "…" is not valid
 * JSON"); for a binary file that quote is unreadable noise on screen. Name the character only,
 * and never let control characters through.
 */
export function readableJsonError(message: string): string {
  const token = /^Unexpected token '([\s\S]*?)', [\s\S]* is not valid JSON$/u.exec(message);
  const text = token ? `unexpected ${describeChar(token[1] ?? '')}` : message;
  return Array.from(text, (ch) =>
    isUnprintable(ch.codePointAt(0) ?? 0) ? `[${codePoint(ch)}]` : ch,
  ).join('');
}

/** JSON.parse that also accepts Python's bare NaN, Infinity and -Infinity tokens. */
export function parseTolerantJson(text: string): unknown {
  const hasTokens = text.includes('NaN') || text.includes('Infinity');
  const prepared = hasTokens
    ? text.replace(TOKENS_OUTSIDE_STRINGS, (match) => SENTINEL_JSON[match] ?? match)
    : text;
  try {
    return hasTokens ? JSON.parse(prepared, reviveNonFinite) : JSON.parse(prepared);
  } catch (error) {
    const truncated = looksTruncated(prepared, error);
    const detail = readableJsonError(error instanceof Error ? error.message : String(error));
    throw new TolerantJsonError(
      truncated ? `JSON is truncated: ${detail}` : `Invalid JSON: ${detail}`,
      truncated,
    );
  }
}

export type TolerantJsonResult =
  | {
      ok: true;
      value: unknown;
      /** Something odd but harmless (a byte-order mark). */
      note?: string;
    }
  | {
      ok: false;
      reason: string;
      missing: boolean;
      /** Empty or not JSON after every retry: what a file caught mid-rewrite looks like. */
      halfWritten: boolean;
    };

export interface ReadJsonOptions {
  /** How many times to read again when the file is empty or invalid (it may be mid-rewrite). */
  retries?: number;
  retryDelayMs?: number;
  /** Files larger than this are refused, not read (default 64 MiB). */
  maxBytes?: number;
  /** What a listing of the folder just said the file is (run-dir-listing.ts); first read only. */
  listed?: ListedKind;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

type Decoded = { ok: true; text: string; note?: string } | { ok: false; reason: string };

/** Without a mark, JSON in UTF-16 has a NUL byte next to each of its first ASCII characters. */
function looksLikeUtf16(bytes: Buffer): boolean {
  const pairs = Math.min(8, Math.floor(bytes.length / 2));
  if (pairs === 0) return false;
  const nulAt = (parity: number): boolean => {
    for (let i = 0; i < pairs; i++) {
      const nul = bytes[2 * i + parity];
      const other = bytes[2 * i + 1 - parity] as number;
      if (nul !== 0 || other === 0 || other > 0x7e) return false;
    }
    return true;
  };
  return nulAt(1) || nulAt(0);
}

/**
 * The file's bytes as text. Sacred writes UTF-8 without a byte-order mark; an editor may have
 * saved one (skipped, and said), and Windows tools write UTF-16, which is named rather than
 * reported as an "unexpected character".
 */
function decodeJsonBytes(bytes: Buffer, label: string): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return {
      ok: true,
      text: bytes.toString('utf8', 3),
      note: `${label} starts with a UTF-8 byte-order mark, which Sacred never writes; it was skipped`,
    };
  }
  const bom16 =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? ' (little endian, byte-order mark FF FE)'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? ' (big endian, byte-order mark FE FF)'
        : null;
  if (bom16 !== null || looksLikeUtf16(bytes)) {
    return {
      ok: false,
      reason: `${label} is UTF-16 text${bom16 ?? ''}; Sacred writes UTF-8: save it as UTF-8`,
    };
  }
  return { ok: true, text: bytes.toString('utf8') };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/**
 * Reads and parses a JSON file that Sacred may be rewriting right now (it truncates, then
 * writes). Empty or invalid content is read again after a pause before giving up with a reason
 * a user can read ("run.json is empty").
 */
export async function readJsonFileTolerant(
  path: string,
  options: ReadJsonOptions = {},
): Promise<TolerantJsonResult> {
  const retries = options.retries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const label = basename(path);
  const refused = (why: string) =>
    ({ ok: false, reason: why, missing: false, halfWritten: false }) as const;
  let reason = `${label} could not be read`;
  const missing = {
    ok: false,
    reason: `${label} is missing`,
    missing: true,
    halfWritten: false,
  } as const;
  if (options.listed === 'missing') return missing;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(retryDelayMs);
    let bytes: Buffer;
    try {
      // A read again after a pause checks everything again: the file may have been replaced.
      const hints = hintsFor(attempt === 0 ? options.listed : undefined);
      bytes = await readRegularFile(path, options.maxBytes ?? DEFAULT_MAX_BYTES, label, hints);
    } catch (error) {
      if (error instanceof FileRefusedError) return refused(error.message);
      const code = errorCode(error);
      if (code === 'ENOENT') return missing;
      return refused(
        `${label} cannot be read (${code ?? (error instanceof Error ? error.message : 'unknown error')})`,
      );
    }
    const decoded = decodeJsonBytes(bytes, label);
    if (!decoded.ok) return refused(decoded.reason);
    const text = decoded.text;
    if (text.trim().length === 0) {
      reason = `${label} is empty`;
      continue;
    }
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return refused(
        `${label} nests more than ${MAX_JSON_DEPTH} levels deep, which no Sacred run does; it is not read`,
      );
    }
    try {
      const value = parseTolerantJson(text);
      return decoded.note === undefined
        ? { ok: true, value }
        : { ok: true, value, note: decoded.note };
    } catch (error) {
      reason =
        error instanceof TolerantJsonError && error.truncated
          ? `${label} is not valid JSON (truncated?)`
          : `${label} is not valid JSON (${error instanceof Error ? error.message.replace(/^Invalid JSON: /u, '') : String(error)})`;
    }
  }
  return { ok: false, reason, missing: false, halfWritten: true };
}
