import { createRequire } from 'node:module';
import type * as Bson from 'bson';

let library: typeof Bson | null = null;

/**
 * The `bson` package, loaded on first use: the MongoDB reader and the backups use it, but a
 * `serve` or window of folder sources never needs it before its URL (issue 13: start → URL).
 * A CommonJS require, synchronous, as `mongoDriver()` (mongo-driver.ts): the very module an
 * `import 'bson'` elsewhere gives, so `instanceof` holds across both.
 */
export function bsonLibrary(): typeof Bson {
  library ??= createRequire(import.meta.url)('bson') as typeof Bson;
  return library;
}
