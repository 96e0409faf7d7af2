import type { RgbImage } from './png-encoder';

type Rgb = readonly [number, number, number];

const palette: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
];

/**
 * Draws series as coloured lines on a white plot with a light grid, so a demo artifact
 * looks like the matplotlib figure a real experiment would save.
 */
export function drawLinePlot(
  width: number,
  height: number,
  series: readonly (readonly number[])[],
): RgbImage {
  const pixels = new Uint8Array(width * height * 3).fill(255);
  const set = (x: number, y: number, [r, g, b]: Rgb): void => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const at = (Math.round(y) * width + Math.round(x)) * 3;
    pixels[at] = r;
    pixels[at + 1] = g;
    pixels[at + 2] = b;
  };
  const margin = 12;
  const plotW = width - 2 * margin;
  const plotH = height - 2 * margin;
  for (let i = 0; i <= 4; i++) {
    const gy = margin + (plotH * i) / 4;
    const gx = margin + (plotW * i) / 4;
    for (let x = margin; x <= margin + plotW; x++) set(x, gy, [225, 225, 225]);
    for (let y = margin; y <= margin + plotH; y++) set(gx, y, [225, 225, 225]);
  }
  for (let x = margin; x <= margin + plotW; x++) set(x, margin + plotH, [60, 60, 60]);
  for (let y = margin; y <= margin + plotH; y++) set(margin, y, [60, 60, 60]);

  let lo = Infinity;
  let hi = -Infinity;
  for (const values of series) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi) [lo, hi] = [0, 1];
  const span = hi - lo || 1;
  series.forEach((values, index) => {
    const colour = palette[index % palette.length] as Rgb;
    let previous: [number, number] | null = null;
    values.forEach((value, i) => {
      if (!Number.isFinite(value)) {
        previous = null;
        return;
      }
      const x = margin + (plotW * i) / Math.max(1, values.length - 1);
      const y = margin + plotH - (plotH * (value - lo)) / span;
      if (previous !== null) {
        const [px, py] = previous;
        const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x - px), Math.abs(y - py))));
        for (let s = 0; s <= steps; s++) {
          const cx = px + ((x - px) * s) / steps;
          const cy = py + ((y - py) * s) / steps;
          set(cx, cy, colour);
          set(cx, cy + 1, colour);
        }
      } else set(x, y, colour);
      previous = [x, y];
    });
  });
  return { width, height, pixels };
}
