import { createRequire } from 'node:module';

/**
 * A CommonJS package required when first used instead of imported with the module: papaparse,
 * yazl and picomatch serve exports, run zips and the send wizard, none of which `serve` needs
 * before it prints its URL (issue 13: start → URL). Synchronous, as bsonLibrary() is; the
 * same module object an `import` of the package would give.
 */
export function packageOnFirstUse<T>(name: string): () => T {
  let loaded: { module: T } | null = null;
  return () => {
    loaded ??= { module: createRequire(import.meta.url)(name) as T };
    return loaded.module;
  };
}
