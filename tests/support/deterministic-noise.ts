/** Deterministic noise in [0, 1): the same metric values on every run and machine. */
export function noise(i: number, seed = 1): number {
  const x = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43_758.5453;
  return x - Math.floor(x);
}
