import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AltarError } from '../../../shared/errors';
import { parseTolerantJson } from '../folder/tolerant-json';

/**
 * Folder sources keep tags and notes where Omniboard-minded tools look for them: an
 * `omniboard: {tags, notes}` object in the run's run.json. The file is rewritten atomically (a
 * temporary file in the same folder, then rename) and only the `omniboard` member's bytes
 * change: Sacred's other keys, spacing and NaN tokens stay exactly as written. A RUNNING run is
 * refused, since Sacred rewrites its run.json on every heartbeat and would drop the edit.
 */
export async function writeRunJsonOmniboard(
  runDir: string,
  change: { tags?: string[]; notes?: string },
): Promise<void> {
  const path = join(runDir, 'run.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AltarError(
      'SOURCE_UNAVAILABLE',
      `${path} cannot be read (${errorCode(error)}); tags and notes were not saved.`,
    );
  }
  let run: unknown;
  try {
    run = parseTolerantJson(text);
  } catch (error) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}); ` +
        'tags and notes were not saved.',
    );
  }
  const doc = asDict(run);
  if (doc === null) {
    throw new AltarError('INVALID_ARGUMENT', `${path} does not hold a JSON object.`);
  }
  if (doc.status === 'RUNNING') {
    throw new AltarError(
      'CONFLICT',
      `Run ${basename(runDir)} is RUNNING: Sacred rewrites its run.json on every heartbeat and ` +
        'would drop the edit. Edit its tags and notes once it has finished.',
    );
  }
  const omniboard = { ...(asDict(doc.omniboard) ?? {}), ...change };
  let updated: string;
  try {
    updated = setTopLevelMember(text, 'omniboard', omniboard);
  } catch (error) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `${path} cannot be edited in place (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  await replaceAtomically(path, updated);
}

/** Writes beside the file, then renames over it: readers see the old file or the new one. */
async function replaceAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.altar-${randomBytes(6).toString('hex')}`);
  const mode = (await stat(path)).mode & 0o777;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

interface Member {
  key: string;
  /** Where the key's opening quote is. */
  keyStart: number;
  valueStart: number;
  /** Just after the value's last character. */
  valueEnd: number;
}

/**
 * The text with one top-level member set to `value`: its value replaced in place when the
 * member exists, else appended after the last member with the same indentation. Nothing else
 * of the text changes.
 */
export function setTopLevelMember(text: string, key: string, value: unknown): string {
  const { members, close } = topLevelMembers(text);
  const first = members[0];
  // Sacred writes `indent=2`; a file on one line stays on one line.
  const pretty = first === undefined ? text.includes('\n') : onItsOwnLine(text, first.keyStart);
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = first !== undefined && pretty ? lineIndent(text, first.keyStart) : '  ';
  const render = (indent: string): string =>
    pretty
      ? JSON.stringify(value, null, unit).replace(/\n/gu, newline + indent)
      : JSON.stringify(value);
  const existing = members.find((member) => member.key === key);
  if (existing !== undefined) {
    const indent = pretty ? lineIndent(text, existing.keyStart) : '';
    return text.slice(0, existing.valueStart) + render(indent) + text.slice(existing.valueEnd);
  }
  const last = members.at(-1);
  const name = JSON.stringify(key);
  if (last === undefined) {
    const member = pretty
      ? `${newline}${unit}${name}: ${render(unit)}${newline}`
      : `${name}: ${render('')}`;
    return text.slice(0, close) + member + text.slice(close);
  }
  const indent = pretty ? lineIndent(text, last.keyStart) : '';
  const member = pretty
    ? `,${newline}${indent}${name}: ${render(indent)}`
    : `, ${name}: ${render('')}`;
  return text.slice(0, last.valueEnd) + member + text.slice(last.valueEnd);
}

function onItsOwnLine(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return lineStart > 0 && /^[ \t]*$/u.test(text.slice(lineStart, at));
}

/** The members of the top-level object, found by scanning (values are not parsed). */
function topLevelMembers(text: string): { members: Member[]; close: number } {
  let at = skipBlank(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (text[at] !== '{') throw new Error('run.json does not start with an object');
  at = skipBlank(text, at + 1);
  const members: Member[] = [];
  while (text[at] !== '}') {
    if (text[at] !== '"') throw new Error(`unexpected ${text[at] ?? 'end'} in run.json`);
    const keyStart = at;
    at = endOfString(text, at);
    const key = JSON.parse(text.slice(keyStart, at)) as string;
    at = skipBlank(text, at);
    if (text[at] !== ':') throw new Error('run.json: a key without its value');
    const valueStart = skipBlank(text, at + 1);
    at = endOfValue(text, valueStart);
    members.push({ key, keyStart, valueStart, valueEnd: at });
    at = skipBlank(text, at);
    if (text[at] === ',') at = skipBlank(text, at + 1);
    else if (text[at] !== '}') throw new Error('run.json: members not separated by commas');
  }
  return { members, close: at };
}

function skipBlank(text: string, at: number): number {
  while (at < text.length && /\s/u.test(text[at] ?? '')) at++;
  return at;
}

/** Just after the closing quote of the string starting at `at`. */
function endOfString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  throw new Error('run.json: a string is not closed');
}

/** Just after the value starting at `at` (an object, list, string, number or bare token). */
function endOfValue(text: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = endOfString(text, i);
      if (depth === 0) return i;
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      if (depth === 0) return trimEnd(text, at, i);
      depth--;
      if (depth === 0) return i + 1;
    } else if (ch === ',' && depth === 0) return trimEnd(text, at, i);
    i++;
  }
  throw new Error('run.json is truncated');
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/u.test(text[end - 1] ?? '')) end--;
  return end;
}

function lineIndent(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const prefix = text.slice(lineStart, at);
  return /^\s*$/u.test(prefix) ? prefix : '';
}

function asDict(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
}
