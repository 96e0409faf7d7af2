/**
 * Captured output holds what the terminal received, so progress bars (tqdm, Keras) arrive as
 * thousands of `\r`-separated redraws of one line. Replaying `\r` and `\b` the way a terminal
 * does leaves only the final state of each line, which is what the user saw.
 */

// CSI sequences (colours, erase-in-line, cursor moves); they take no column on screen.
// eslint-disable-next-line no-control-regex -- terminal escapes are what we match
const CSI = /^\x1b\[[0-?]*[ -/]*[@-~]/u;
// eslint-disable-next-line no-control-regex -- terminal escapes are what we match
const INCOMPLETE_CSI = /^\x1b(?:\[[0-?]*[ -/]*)?$/u;

interface Cell {
  /** Escape sequences that preceded this character (colour changes). */
  prefix: string;
  ch: string;
}

function replayLine(line: string): string {
  const cells: Cell[] = [];
  let cursor = 0;
  let pending = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === '\r') {
      cursor = 0;
      i++;
      continue;
    }
    if (ch === '\b') {
      cursor = Math.max(0, cursor - 1);
      i++;
      continue;
    }
    if (ch === '\x1b') {
      const match = CSI.exec(line.slice(i, i + 64));
      if (match !== null) {
        const seq = match[0];
        const final = seq[seq.length - 1];
        if (final === 'K') {
          // Erase in line: 0/none = to the end, 1 = to the start, 2 = whole line.
          const mode = seq.slice(2, -1);
          if (mode === '' || mode === '0') cells.length = Math.min(cells.length, cursor);
          else if (mode === '1') {
            for (let c = 0; c <= cursor && c < cells.length; c++)
              cells[c] = { prefix: '', ch: ' ' };
          } else if (mode === '2') cells.length = 0;
        } else if (final === 'm') {
          pending += seq;
        }
        // Other cursor movements cannot be replayed on one line; dropping them keeps the text.
        i += seq.length;
        continue;
      }
      // A sequence cut off by the end of the text (a killed process, a truncated file) or an
      // escape we do not replay takes no column either: written as text, it would overwrite
      // the start of the line after a `\r`.
      const rest = line.length - i;
      i += rest < 64 && INCOMPLETE_CSI.test(line.slice(i)) ? rest : 1;
      continue;
    }
    const old = cells[cursor];
    while (cells.length < cursor) cells.push({ prefix: '', ch: ' ' });
    // Keep the overwritten cell's colour when the redraw sets none, so colours are not lost.
    cells[cursor] = { prefix: pending !== '' ? pending : (old?.prefix ?? ''), ch };
    pending = '';
    cursor++;
    i++;
  }
  let out = '';
  for (const cell of cells) out += cell.prefix + cell.ch;
  return out + pending;
}

/**
 * Applies carriage returns (back to the start of the line, later text overwrites) and
 * backspaces (one column back) within each line. A `\r\n` line end keeps the line.
 */
export function collapseCarriageReturns(text: string): string {
  // eslint-disable-next-line no-control-regex -- terminal escapes are what we match
  const needsReplay = /[\r\b]|\x1b\[[0-2]?K/u;
  if (!needsReplay.test(text)) return text;
  return text
    .split('\n')
    .map((line) => (needsReplay.test(line) ? replayLine(line) : line))
    .join('\n');
}
