import { describe, expect, it } from 'vitest';
import {
  LOOKAHEAD_MOVES,
  LOOKAHEAD_MS,
  MAX_LOOKAHEAD_ROWS,
  PAUSE_MS,
  lookaheadRange,
  pagesAhead,
} from '../../renderer/src/model/page-window';

describe('rows asked ahead of a moving run table', () => {
  it('asks only for the view when it stands still or moved after a pause', () => {
    expect(lookaheadRange(500, 540, 500, 16)).toEqual([500, 540]);
    // A jump a second after the last move is a click on the scrollbar, not a fling.
    expect(lookaheadRange(9000, 9040, 500, 1000)).toEqual([9000, 9040]);
  });

  it('asks for the rows the view reaches in the next moments, in the direction it moves', () => {
    // 100 rows in 16 ms: 6.25 rows/ms, LOOKAHEAD_MS of that below the view.
    const ahead = Math.round((100 / 16) * LOOKAHEAD_MS);
    expect(lookaheadRange(600, 640, 500, 16)).toEqual([600, 640 + ahead]);
    // Flinging up: above the view, never before row 0.
    expect(lookaheadRange(10_000, 10_040, 10_100, 16)).toEqual([10_000 - ahead, 10_040]);
    expect(lookaheadRange(100, 140, 200, 16)).toEqual([0, 140]);
  });

  it('asks for the next few moves ahead when frames are slow (a loaded machine)', () => {
    // 100 rows a frame, frames of 300 ms: a fling, not a pause; 300 ms of scrolling is fewer
    // rows than the next LOOKAHEAD_MOVES frames reach.
    expect(lookaheadRange(600, 640, 500, 300)).toEqual([600, 640 + 100 * LOOKAHEAD_MOVES]);
    expect(lookaheadRange(600, 640, 500, 800)).toEqual([600, 640 + 100 * LOOKAHEAD_MOVES]);
    expect(lookaheadRange(600, 640, 500, PAUSE_MS)).toEqual([600, 640]);
  });

  it('never asks for more than MAX_LOOKAHEAD_ROWS ahead', () => {
    expect(lookaheadRange(50_000, 50_040, 0, 10)).toEqual([50_000, 50_040 + MAX_LOOKAHEAD_ROWS]);
  });

  it('fetches the pages ahead after the view’s own, nearest first, within the result', () => {
    // View on page 5 (rows 1000-1040, its own pages 4..5); ahead to row 2000 → pages 6..10.
    expect(pagesAhead(1000, 1040, [1000, 2000], 100_000, 200)).toEqual([6, 7, 8, 9, 10]);
    // Upwards: the nearest page above first.
    expect(pagesAhead(1000, 1040, [400, 1040], 100_000, 200)).toEqual([3, 2]);
    // Clipped at the last page of a 1,500-row result (pages 0..7).
    expect(pagesAhead(1000, 1040, [1000, 3000], 1500, 200)).toEqual([6, 7]);
    // Nothing ahead: nothing more to fetch.
    expect(pagesAhead(1000, 1040, [1000, 1040], 100_000, 200)).toEqual([]);
  });
});
