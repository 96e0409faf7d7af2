import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './json-byte-codes';

/**
 * Nesting limit of the JSON files of a run. JSON.parse copes with any depth, but what comes
 * after it (the NaN reviver, copies, JSON.stringify into the cache, the column catalog's walks)
 * recurses and overflows the stack somewhere past a few thousand levels. No Sacred config comes
 * near this; a file that does is reported instead of crashing the read.
 */
export const MAX_JSON_DEPTH = 200;

/** Whether the JSON text nests objects/arrays deeper than `limit` (brackets in strings skipped). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}
