// What the desktop window remembers across restarts, in the app's data folder (the one the
// CLI uses too): its place and size, whether it was maximized, the screen it showed and the
// sources opened lately. A file of its own, not the cache: it is read before the cache opens,
// and a damaged or hand-edited file only costs the window its last place.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseDesktopScreen } from '../../shared/desktop-messages';
import type { DesktopScreen } from '../../shared/desktop-messages';
import { MAX_RECENT_SOURCES } from './recent-sources';
import type { Rect } from './window-placement';

export const WINDOW_STATE_FILE = 'window-state.json';

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(1).max(100_000);

const WindowStateSchema = z.object({
  bounds: z.object({ x: coordinate, y: coordinate, width: size, height: size }).nullable(),
  maximized: z.boolean(),
  screen: z.unknown().transform((value) => parseDesktopScreen(value)),
  recentSources: z
    .array(z.string().regex(/^[\w.-]{1,64}$/u))
    .transform((names) => names.slice(0, MAX_RECENT_SOURCES)),
});

export interface WindowState {
  bounds: Rect | null;
  maximized: boolean;
  screen: DesktopScreen | null;
  recentSources: string[];
}

export const EMPTY_WINDOW_STATE: WindowState = {
  bounds: null,
  maximized: false,
  screen: null,
  recentSources: [],
};

/** The remembered state, or the empty one when there is none or it cannot be read. */
export function readWindowState(dataDir: string): WindowState {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8');
  } catch {
    return EMPTY_WINDOW_STATE;
  }
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : EMPTY_WINDOW_STATE;
  } catch {
    return EMPTY_WINDOW_STATE;
  }
}

/** Writes the whole state (a temporary file renamed over the old one: never half a file). */
export function writeWindowState(dataDir: string, state: WindowState): void {
  mkdirSync(dataDir, { recursive: true });
  const target = path.join(dataDir, WINDOW_STATE_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, target);
}
