import { createRequire } from 'node:module';
import type * as MongoDriver from 'mongodb';

export type MongoDriverModule = typeof MongoDriver;

/** The driver's error classes (MongoServerError, MongoNetworkError, …) by name. */
export type MongoErrorClassName = {
  [K in keyof MongoDriverModule]: MongoDriverModule[K] extends abstract new (
    ...args: never[]
  ) => Error
    ? K
    : never;
}[keyof MongoDriverModule];

let driver: MongoDriverModule | null = null;

/**
 * The MongoDB driver, loaded on first use. Loading it takes 0.3–1 s of a start (issue 13:
 * `serve` start → URL), and a user of folder sources, `--version` or `serve` before any MongoDB
 * source is synced or opened never needs it. Everything that talks to MongoDB gets the driver
 * here instead of importing it (type imports are free). A CommonJS require, synchronous: the
 * driver is a CommonJS package, so this is the very module an `import 'mongodb'` elsewhere gives
 * (one copy, `instanceof` holds across both).
 */
export function mongoDriver(): MongoDriverModule {
  driver ??= createRequire(import.meta.url)('mongodb') as MongoDriverModule;
  return driver;
}

/**
 * `error instanceof` the driver's class `name`, without loading the driver for an error the
 * driver cannot have made: all of its errors are named Mongo… (MongoError's subclasses).
 */
export function isMongoDriverError<K extends MongoErrorClassName>(
  error: unknown,
  name: K,
): error is InstanceType<MongoDriverModule[K]> {
  if (!(error instanceof Error)) return false;
  if (driver === null && !error.name.startsWith('Mongo')) return false;
  return error instanceof mongoDriver()[name];
}
