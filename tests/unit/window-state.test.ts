import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_RECENT_SOURCES,
  existingRecentSources,
  withRecentSource,
} from '../../main/electron/recent-sources';
import {
  EMPTY_WINDOW_STATE,
  WINDOW_STATE_FILE,
  readWindowState,
  writeWindowState,
} from '../../main/electron/window-state';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-window-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the remembered window', () => {
  it('reads back what was written', () => {
    const state = {
      bounds: { x: -1200, y: 40, width: 1000, height: 700 },
      maximized: true,
      screen: { source: 'lab', route: '/runs/lab/7' },
      recentSources: ['lab', 'cluster'],
    };
    writeWindowState(dir, state);
    expect(readWindowState(dir)).toEqual(state);
  });

  it('starts empty when the file is missing, damaged or hand-edited wrongly', () => {
    expect(readWindowState(dir)).toEqual(EMPTY_WINDOW_STATE);
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"bounds": ');
    expect(readWindowState(dir)).toEqual(EMPTY_WINDOW_STATE);
    writeFileSync(
      join(dir, WINDOW_STATE_FILE),
      JSON.stringify({ ...EMPTY_WINDOW_STATE, recentSources: ['../etc'] }),
    );
    expect(readWindowState(dir)).toEqual(EMPTY_WINDOW_STATE);
  });

  it('drops a remembered screen that is not a route of the app', () => {
    writeFileSync(
      join(dir, WINDOW_STATE_FILE),
      JSON.stringify({ ...EMPTY_WINDOW_STATE, screen: { source: null, route: 'https://x/' } }),
    );
    expect(readWindowState(dir).screen).toBeNull();
  });

  it('leaves no temporary file behind', () => {
    writeWindowState(dir, EMPTY_WINDOW_STATE);
    expect(JSON.parse(readFileSync(join(dir, WINDOW_STATE_FILE), 'utf8'))).toEqual(
      EMPTY_WINDOW_STATE,
    );
  });
});

describe('recent sources', () => {
  it('put the source opened last first, once, and keep only the newest', () => {
    let recent: string[] = [];
    for (let i = 0; i < MAX_RECENT_SOURCES + 3; i++) recent = withRecentSource(recent, `s${i}`);
    recent = withRecentSource(recent, 's5');
    expect(recent[0]).toBe('s5');
    expect(new Set(recent).size).toBe(recent.length);
    expect(recent).toHaveLength(MAX_RECENT_SOURCES);
  });

  it('forget sources that are gone', () => {
    expect(existingRecentSources(['a', 'b', 'c'], ['c', 'a'])).toEqual(['a', 'c']);
  });
});
