import { describe, expect, it } from 'vitest';
import { collapseCarriageReturns } from '../../shared/ansi-progress';

describe('collapseCarriageReturns', () => {
  it('leaves text without control characters unchanged', () => {
    const text = 'epoch 1\nloss 0.3\n\x1b[32mgreen\x1b[0m\n';
    expect(collapseCarriageReturns(text)).toBe(text);
  });

  it('keeps only the last redraw of a tqdm-style progress line', () => {
    const text =
      'start\n  0%|          | 0/100\r 50%|#####     | 50/100\r100%|##########| 100/100\ndone\n';
    expect(collapseCarriageReturns(text)).toBe('start\n100%|##########| 100/100\ndone\n');
  });

  it('overwrites only as far as the new text goes, like a terminal', () => {
    expect(collapseCarriageReturns('abcdef\rXY')).toBe('XYcdef');
  });

  it('keeps lines ending in \\r\\n', () => {
    expect(collapseCarriageReturns('one\r\ntwo\r\n')).toBe('one\ntwo\n');
  });

  it('applies backspaces', () => {
    expect(collapseCarriageReturns('abc\b\bXY\n')).toBe('aXY\n');
    expect(collapseCarriageReturns('\b\bab')).toBe('ab');
  });

  it('applies erase-in-line after a carriage return', () => {
    expect(collapseCarriageReturns('long progress text\r\x1b[Kshort')).toBe('short');
    expect(collapseCarriageReturns('long progress text\r\x1b[2Kok')).toBe('ok');
  });

  it('keeps colours of the final redraw', () => {
    const text = '\x1b[33m10%\x1b[0m\r\x1b[32m100%\x1b[0m\n';
    // The reset that ended the first redraw still applies before the new colour.
    expect(collapseCarriageReturns(text)).toBe('\x1b[0m\x1b[32m100%\x1b[0m\n');
  });

  it('handles thousands of redraws', () => {
    const redraws = Array.from({ length: 5000 }, (_, i) => `step ${i}`).join('\r');
    expect(collapseCarriageReturns(`${redraws}\nend`)).toBe('step 4999\nend');
  });

  it('gives no column to an escape cut off at the end or one it does not replay', () => {
    expect(collapseCarriageReturns('résumé 10%\r\x1b[3')).toBe('résumé 10%');
    expect(collapseCarriageReturns('résumé 10%\r\x1b')).toBe('résumé 10%');
    expect(collapseCarriageReturns('ab\rX\x1b\x1bY')).toBe('XY');
  });
});
