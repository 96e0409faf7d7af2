/**
 * Whether a value (parsed JSON, or what IPC delivered) nests arrays/objects deeper than
 * `limit`. Measured with its own stack: the value may be nested far deeper than the call
 * stack could follow, which is exactly what this check is for.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (ArrayBuffer.isView(current)) continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}
