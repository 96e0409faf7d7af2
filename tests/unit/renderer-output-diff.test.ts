import { describe, expect, it } from 'vitest';
import { outputDiff } from '../../renderer/src/model/output-diff';

describe('outputDiff', () => {
  it('marks removed and added lines and keeps common ones', () => {
    const diff = outputDiff('start\nloss 0.5\nend\n', 'start\nloss 0.3\nend\n');
    expect(diff.lines).toEqual([
      { kind: 'same', text: 'start' },
      { kind: 'removed', text: 'loss 0.5' },
      { kind: 'added', text: 'loss 0.3' },
      { kind: 'same', text: 'end' },
    ]);
    expect(diff.clipped).toBe(false);
  });

  it('ignores colour codes and keeps only the last state of a progress line', () => {
    const diff = outputDiff('\u001b[32mok\u001b[0m\n10%\r100%\n', 'ok\n100%\n');
    expect(diff.lines.every((line) => line.kind === 'same')).toBe(true);
  });

  it('caps the number of lines shown', () => {
    const many = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const diff = outputDiff('', many, 10);
    expect(diff.lines).toHaveLength(10);
    expect(diff.clipped).toBe(true);
  });
});
