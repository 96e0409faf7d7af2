import { RE2JS } from 're2js';

/**
 * Regular expressions of the filter language (`~`, `matches`). They run on RE2 (the re2js
 * port, plain JavaScript, so the UI checks a pattern exactly as the core runs it): matching
 * takes time linear in the text, so a pattern like `(.*.*.*.*)*!` cannot backtrack for
 * hours the way JavaScript's own engine does. RE2 has no look-around and no back-references;
 * such a pattern is refused with a message saying so.
 */
export interface FilterRegex {
  /** Whether the pattern matches somewhere in the text. */
  test(text: string): boolean;
  /** RE2's measure of the pattern's cost: matching is at worst this times the text length. */
  readonly size: number;
}

/**
 * RE2 matches a text in time proportional to its length times the pattern's program size;
 * a bound on the size keeps every single test short. `.{1,1000}` is about 2,000.
 */
export const MAX_REGEX_PROGRAM_SIZE = 3000;

const FLAG_BITS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 always reads the pattern and the text as Unicode.
  u: 0,
};

/** Compiles a pattern with flags from `imsu`; `reason` says why not, for one line of text. */
export function compileFilterRegex(
  pattern: string,
  flags: string,
): { ok: true; regex: FilterRegex } | { ok: false; reason: string } {
  let bits = 0;
  for (const [i, flag] of [...flags].entries()) {
    const bit = FLAG_BITS[flag];
    if (bit === undefined) return { ok: false, reason: `unsupported flag "${flag}"` };
    // JavaScript refuses `ii`; a filter another tool cannot read back is refused here too.
    if (flags.indexOf(flag) < i) return { ok: false, reason: `flag "${flag}" given twice` };
    bits |= bit;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(javaScriptEscapes(pattern), bits);
  } catch (error) {
    return { ok: false, reason: describeSyntaxError(error) };
  }
  const size = compiled.programSize();
  if (size > MAX_REGEX_PROGRAM_SIZE) {
    return {
      ok: false,
      reason: `the pattern is too complex (${size} steps, at most ${MAX_REGEX_PROGRAM_SIZE}): use fewer or smaller repetitions`,
    };
  }
  return { ok: true, regex: { size, test: (text) => compiled.test(text) } };
}

/**
 * `\uXXXX` and `\u{X…}` as RE2 spells them (`\x{…}`); every other escape is RE2's own, and
 * the same as JavaScript's for the usual ones (`\d`, `\w`, `\s`, `\b`, `\.`, `\/`).
 */
function javaScriptEscapes(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const rest = pattern.slice(i + 1, i + 12);
    const four = /^u([0-9a-fA-F]{4})/u.exec(rest);
    const braced = /^u\{([0-9a-fA-F]{1,6})\}/u.exec(rest);
    if (braced !== null) {
      out += `\\x{${braced[1] as string}}`;
      i += braced[0].length;
    } else if (four !== null) {
      out += `\\x{${four[1] as string}}`;
      i += four[0].length;
    } else {
      out += c + (pattern[i + 1] ?? '');
      i++;
    }
  }
  return out;
}

function describeSyntaxError(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(
    /^error parsing regexp: /u,
    '',
  );
  const unsupported = /unsupported|invalid escape|invalid named capture/u.test(message);
  return unsupported
    ? `${message} (filters use RE2 regular expressions: no look-around or back-references)`
    : message;
}
