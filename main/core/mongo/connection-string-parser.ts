import { createRequire } from 'node:module';
import type { ConnectionString } from 'mongodb-connection-string-url';

type ConnectionStringClass = typeof ConnectionString;

let parser: ConnectionStringClass | null = null;

/**
 * The MongoDB connection-string parser (`mongodb-connection-string-url`, with `whatwg-url`),
 * loaded on the first URI parsed: it took ~0.12–0.18 s of every `serve` start before the URL
 * (issue 13), though a user with folder sources only never parses a MongoDB URI. A CommonJS
 * require, synchronous, as `mongoDriver()` (mongo-driver.ts): the same module the driver uses.
 */
export function connectionStringParser(): ConnectionStringClass {
  parser ??= (
    createRequire(import.meta.url)('mongodb-connection-string-url') as {
      ConnectionString: ConnectionStringClass;
    }
  ).ConnectionString;
  return parser;
}
