/** How many lines a text shows: a final newline ends the last line rather than starting one. */
export function lineCount(text: string): number {
  if (text === '') return 1;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

/** The gutter beside a source file: "1\n2\n…" up to its line count. */
export function lineNumbersText(text: string): string {
  return Array.from({ length: lineCount(text) }, (_, i) => String(i + 1)).join('\n');
}
