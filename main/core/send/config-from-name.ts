import type { JsonObject } from '../../../shared/contract';

/**
 * Config parsed from a folder's name with the old sender's pattern language
 * (format_content.py l.20-60): `$var$` matches any text (as little as possible), `$var%N$`
 * exactly N characters, everything else itself; the pattern must match the whole name.
 * Returns null when the name does not match. Values stay text, as the old sender keeps them.
 */
export function configFromName(pattern: string, folderName: string): JsonObject | null {
  const names: string[] = [];
  let source = '';
  const token = /\$([A-Za-z_][\w]*)(?:%(\d+))?\$/gu;
  let last = 0;
  for (const match of pattern.matchAll(token)) {
    source += escapeRegExp(pattern.slice(last, match.index));
    names.push(match[1] as string);
    source += match[2] === undefined ? '(.+?)' : `(.{${match[2]}})`;
    last = match.index + match[0].length;
  }
  source += escapeRegExp(pattern.slice(last));
  const found = new RegExp(`^${source}$`, 'su').exec(folderName);
  if (found === null) return null;
  const config: JsonObject = {};
  names.forEach((name, index) => {
    config[name] = found[index + 1] ?? '';
  });
  return config;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
