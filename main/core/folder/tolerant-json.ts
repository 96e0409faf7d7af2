import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

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
  { ok: true; value: unknown } | { ok: false; reason: string; missing: boolean };

export interface ReadJsonOptions {
  /** How many times to read again when the file is empty or invalid (it may be mid-rewrite). */
  retries?: number;
  retryDelayMs?: number;
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
  let reason = `${label} could not be read`;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(retryDelayMs);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') return { ok: false, reason: `${label} is missing`, missing: true };
      if (code === 'EISDIR') {
        return { ok: false, reason: `${label} is a directory, not a file`, missing: false };
      }
      return {
        ok: false,
        reason: `${label} cannot be read (${code ?? (error instanceof Error ? error.message : 'unknown error')})`,
        missing: false,
      };
    }
    if (text.trim().length === 0) {
      reason = `${label} is empty`;
      continue;
    }
    try {
      return { ok: true, value: parseTolerantJson(text) };
    } catch (error) {
      reason =
        error instanceof TolerantJsonError && error.truncated
          ? `${label} is not valid JSON (truncated?)`
          : `${label} is not valid JSON (${error instanceof Error ? error.message.replace(/^Invalid JSON: /u, '') : String(error)})`;
    }
  }
  return { ok: false, reason, missing: false };
}
