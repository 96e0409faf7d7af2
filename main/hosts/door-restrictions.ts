import type { MethodName } from '../../shared/contract';

/**
 * Arguments a page may not use through a door (IPC, HTTP) even though the contract allows them
 * for direct calls: writing to a path of the caller's choosing would let any script that gets
 * into the renderer overwrite files of the user. The CLI calls the core directly and keeps them.
 */
const directOnlyArguments: Partial<Record<MethodName, readonly string[]>> = {
  exportRuns: ['path'],
  exportMetrics: ['path'],
};

/** The message refusing the call, or null when the arguments are fine for a door. */
export function doorRestriction(method: MethodName, args: unknown): string | null {
  const restricted = directOnlyArguments[method];
  if (restricted === undefined || args === null || typeof args !== 'object') return null;
  const used = restricted.filter((key) => (args as Record<string, unknown>)[key] !== undefined);
  if (used.length === 0) return null;
  return `${method}: "${used.join('", "')}" is only available from the CLI; the app downloads the export instead`;
}
