/**
 * Viridis (matplotlib's default map) at nine even stops: perceptually uniform, readable in
 * grey and by the common colour blindnesses. Dark purple is low, yellow is high.
 */
export const VIRIDIS = [
  '#440154',
  '#472d7b',
  '#3b528b',
  '#2c728e',
  '#21918c',
  '#28ae80',
  '#5ec962',
  '#addc30',
  '#fde725',
] as const;

/** Colour of a value outside the data (a run without the metric). */
export const NO_VALUE_COLOUR = '#b0b0b0';

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** The viridis colour at t in [0, 1] (clamped), interpolated between the stops. */
export function viridis(t: number): string {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const scaled = clamped * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(scaled));
  const f = scaled - i;
  const a = channels(VIRIDIS[i] as string);
  const b = channels(VIRIDIS[i + 1] as string);
  return toHex(a.map((c, k) => c + f * ((b[k] as number) - c)));
}

export interface ColourScale {
  /** Lowest and highest finite value, or null when there is none. */
  domain: [number, number] | null;
  colourOf(value: number): string;
}

/** A scale over the finite values; a single value sits mid-scale, NaN gets NO_VALUE_COLOUR. */
export function colourScale(values: readonly number[]): ColourScale {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { domain: null, colourOf: () => NO_VALUE_COLOUR };
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return {
    domain: [lo, hi],
    colourOf: (value) =>
      Number.isFinite(value)
        ? viridis(hi === lo ? 0.5 : (value - lo) / (hi - lo))
        : NO_VALUE_COLOUR,
  };
}
