import { RUN_COLOURS } from './plot-traces';

/** FNV-1a of the run's identity: the same run, the same number, in every screen and session. */
function hashOf(identity: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < identity.length; i++) h = Math.imul(h ^ identity.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The colour a run asks for: its identity (source and id) hashed into the palette. */
export function preferredColourIndex(runKey: string, paletteSize = RUN_COLOURS.length): number {
  return hashOf(runKey) % paletteSize;
}

/**
 * A colour per run, derived from the run's identity rather than its place in a list, so a
 * run keeps its colour across plots, compare and parallel coordinates. Two runs of the same
 * set asking for one colour: the run whose key sorts first keeps it, the other takes the next
 * free one (the same choice wherever the same runs are shown together); past the palette's
 * size colours repeat.
 */
export function runColours(
  runKeys: readonly string[],
  palette: readonly string[] = RUN_COLOURS,
): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<number>();
  const sorted = [...new Set(runKeys)].sort();
  for (const key of sorted) {
    let index = preferredColourIndex(key, palette.length);
    if (taken.size < palette.length) {
      while (taken.has(index)) index = (index + 1) % palette.length;
    }
    taken.add(index);
    out.set(key, palette[index] as string);
  }
  return out;
}
