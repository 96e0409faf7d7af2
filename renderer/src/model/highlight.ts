import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import ini from 'highlight.js/lib/languages/ini';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import yaml from 'highlight.js/lib/languages/yaml';

hljs.registerLanguage('python', python);
hljs.registerLanguage('yaml', yaml);
hljs.registerLanguage('json', json);
hljs.registerLanguage('bash', bash);
hljs.registerLanguage('ini', ini);

const byExtension: Record<string, string> = {
  py: 'python',
  pyw: 'python',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  sh: 'bash',
  bash: 'bash',
  ini: 'ini',
  cfg: 'ini',
  toml: 'ini',
};

/** Above this size highlighting costs more than it helps; the text is shown plain. */
const MAX_HIGHLIGHT_CHARS = 400_000;

export function languageFor(fileName: string): string | null {
  const ext = /\.([^./\\]+)$/u.exec(fileName)?.[1]?.toLowerCase();
  return ext === undefined ? null : (byExtension[ext] ?? null);
}

/**
 * Highlighted HTML for a file, or null when it should be shown as plain text. highlight.js
 * escapes the source text itself, and only emits its own <span class="hljs-…"> elements.
 */
export function highlightSource(fileName: string, text: string): string | null {
  const language = languageFor(fileName);
  if (language === null || text.length > MAX_HIGHLIGHT_CHARS) return null;
  try {
    return hljs.highlight(text, { language, ignoreIllegals: true }).value;
  } catch {
    return null;
  }
}
