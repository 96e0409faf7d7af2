import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Python's json accepts bare NaN/Infinity; JSON.parse does not, so map them to strings first. */
export function parsePythonJson(text: string): unknown {
  const safe = text.replace(/(?<=[[:,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/gu, '"$1"');
  return JSON.parse(safe);
}

export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out;
}

export function readJsonFile(path: string): unknown {
  return parsePythonJson(readFileSync(path, 'utf8'));
}
