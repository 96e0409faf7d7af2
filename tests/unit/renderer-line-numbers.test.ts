import { describe, expect, it } from 'vitest';
import { lineCount, lineNumbersText } from '../../renderer/src/model/line-numbers';

describe('source file line numbers', () => {
  it('number every line, a final newline starting no extra one', () => {
    expect(lineNumbersText('import os\nprint(1)\n')).toBe('1\n2');
    expect(lineNumbersText('a\nb\nc')).toBe('1\n2\n3');
  });

  it('count blank lines and an empty file as one line', () => {
    expect(lineCount('a\n\n\nb\n')).toBe(4);
    expect(lineCount('')).toBe(1);
    expect(lineCount('\r\n')).toBe(1);
  });
});
