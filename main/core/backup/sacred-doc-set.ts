import type { Document, ObjectId } from 'bson';

/**
 * What a backup moves: the collections of a Sacred database (runs, metrics, GridFS, Omniboard's),
 * as MongoDB holds them. Every reader (a live database, a dump directory, a folder of
 * FileStorage runs) gives one; every writer (dump directory, database, folder) takes one, so
 * export, import and copy are one reader joined to one writer.
 */
export type CollectionRole = 'runs' | 'metrics' | 'files' | 'chunks' | 'omniboard';

export interface DocCollection {
  /** The collection's name in the database (a prefix included). */
  name: string;
  role: CollectionRole;
  /**
   * The documents, read again on every call. A Buffer is one BSON document exactly as read
   * (written byte for byte); a Document keeps BSON's wrapper types (Int32, Double, Long), so
   * writing it back gives the same types (see BSON_READ_OPTIONS).
   */
  docs(): AsyncIterable<Document | Uint8Array>;
  /** The index specifications as listIndexes gives them; null when unknown (defaults apply). */
  indexes: Document[] | null;
  /** The collection's UUID as 32 hex digits, as mongodump writes it; null when unknown. */
  uuid: string | null;
}

export interface SacredDocSet {
  /** The database name a dump directory is written under. */
  database: string;
  collections: DocCollection[];
  /** What could not be included, one sentence each (offline, never cached, …). */
  omitted: string[];
}

/** Deserialising without promotion keeps every value's BSON type for writing back. */
export const BSON_READ_OPTIONS = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
} as const;

/** The role a collection name has in a Sacred database, or null for one we do not move. */
export function roleOfCollection(name: string): CollectionRole | null {
  if (name === 'fs.files') return 'files';
  if (name === 'fs.chunks') return 'chunks';
  if (name.startsWith('omniboard.')) return 'omniboard';
  if (name === 'runs' || name.endsWith('_runs') || name.endsWith('.runs')) return 'runs';
  if (name === 'metrics' || name.endsWith('_metrics')) return 'metrics';
  return null;
}

/** Omniboard's collections (ALTAR_TOOLS.md §5), moved with the runs they describe. */
export const OMNIBOARD_COLLECTIONS = [
  'omniboard.settings',
  'omniboard.custom.columns',
  'omniboard.metric.columns',
] as const;

/**
 * The BSON type of a wrapper value. Checked by name, never with instanceof: the driver and this
 * code may load different builds of bson (CommonJS and ES module), whose classes differ.
 */
export function bsonTypeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { _bsontype?: unknown })._bsontype;
  return typeof type === 'string' ? type : null;
}

export function isObjectId(value: unknown): value is ObjectId {
  return bsonTypeOf(value) === 'ObjectId';
}
