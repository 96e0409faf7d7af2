// Where the window opens: where it was last time, unless that place is no longer on any
// screen (a monitor unplugged, a laptop off its dock, a smaller resolution).

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1400, height: 900 };
export const MIN_SIZE = { width: 720, height: 480 };
/** How much of the title bar must lie on a screen for the user to grab and move the window. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 40;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The window's bounds: `saved` fitted into the work area (the screen without task bars) that
 * holds its title bar, moved fully onto it and no larger than it; when no screen holds the
 * title bar, the default size centred on the primary work area. `workAreas[0]` is the primary.
 */
export function placeWindow(saved: Rect | null, workAreas: readonly Rect[]): Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const titleBar = saved === null ? null : { ...saved, height: GRAB_HEIGHT };
  const home =
    titleBar === null
      ? undefined
      : workAreas.find((area) => {
          const shared = overlap(titleBar, area);
          return shared.width >= Math.min(GRAB_WIDTH, titleBar.width) && shared.height > 0;
        });
  if (saved === null || home === undefined) return centred(DEFAULT_SIZE, primary);
  const width = clamp(saved.width, Math.min(MIN_SIZE.width, home.width), home.width);
  const height = clamp(saved.height, Math.min(MIN_SIZE.height, home.height), home.height);
  return {
    x: clamp(saved.x, home.x, home.x + home.width - width),
    y: clamp(saved.y, home.y, home.y + home.height - height),
    width,
    height,
  };
}

function centred(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.round(Math.min(Math.max(value, min), max));
}
