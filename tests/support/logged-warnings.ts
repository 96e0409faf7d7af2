import { afterEach, beforeEach, vi } from 'vitest';

/**
 * What the code under test said in the log, test by test (console.warn goes to the app's log):
 * the array is emptied before each test and console.warn restored after it.
 */
export function loggedWarnings(): string[] {
  const warnings: string[] = [];
  beforeEach(() => {
    warnings.length = 0;
    vi.spyOn(console, 'warn').mockImplementation((...parts: unknown[]) => {
      warnings.push(parts.map(String).join(' '));
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return warnings;
}
