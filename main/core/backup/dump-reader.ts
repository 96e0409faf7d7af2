import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BSON, EJSON } from 'bson';
import type { Document } from 'bson';
import { AltarError } from '../../../shared/errors';
import { bsonDocuments } from './bson-stream';
import { BSON_READ_OPTIONS, roleOfCollection } from './sacred-doc-set';
import type { DocCollection, SacredDocSet } from './sacred-doc-set';

const BSON_FILE = /^(?<name>.+)\.bson(?<gz>\.gz)?$/u;

export interface DumpReadOptions {
  /** Which database folder of a dump holding several (DIR/<db>). */
  database?: string;
}

/**
 * Reads a mongodump directory (ours or mongodump's, gzipped or not): DIR/<db>/*.bson, or DIR
 * itself when it is one database's folder. Collections with no role in a Sacred database are
 * listed in `omitted`; documents are read lazily, each read streaming the file again.
 */
export async function readBsonDump(
  dir: string,
  options: DumpReadOptions = {},
): Promise<SacredDocSet> {
  const folder = await databaseFolder(dir, options.database);
  const names = (await readdir(folder)).sort();
  const collections: DocCollection[] = [];
  const omitted: string[] = [];
  for (const file of names) {
    const match = BSON_FILE.exec(file);
    if (match?.groups === undefined) continue;
    const path = join(folder, file);
    const metadata = await readMetadata(
      folder,
      match.groups.name ?? '',
      match.groups.gz !== undefined,
    );
    const name =
      typeof metadata?.collectionName === 'string'
        ? metadata.collectionName
        : (match.groups.name ?? '');
    const role = roleOfCollection(name);
    if (role === null) {
      omitted.push(`${name} (not a collection of Sacred or Omniboard)`);
      continue;
    }
    collections.push({
      name,
      role,
      indexes: Array.isArray(metadata?.indexes) ? (metadata.indexes as Document[]) : null,
      uuid: typeof metadata?.uuid === 'string' ? metadata.uuid : null,
      docs: async function* () {
        for await (const raw of bsonDocuments(path)) yield BSON.deserialize(raw, BSON_READ_OPTIONS);
      },
    });
  }
  if (!collections.some((collection) => collection.role === 'runs')) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `${folder} holds no runs collection (runs.bson or <prefix>_runs.bson).`,
    );
  }
  return { database: basename(folder), collections, omitted };
}

async function databaseFolder(dir: string, database: string | undefined): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new AltarError('NOT_FOUND', `There is no dump folder ${dir}.`);
  });
  if (database !== undefined) {
    const folder = join(dir, database);
    if (!(await stat(folder).catch(() => null))?.isDirectory()) {
      throw new AltarError('NOT_FOUND', `The dump ${dir} has no database folder ${database}.`);
    }
    return folder;
  }
  // mongodump --oplog puts oplog.bson beside the database folders.
  if (
    entries.some(
      (entry) =>
        entry.isFile() && BSON_FILE.test(entry.name) && !entry.name.startsWith('oplog.bson'),
    )
  ) {
    return dir;
  }
  const databases: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === 'admin' || entry.name === 'raw_data') continue;
    const inside = await readdir(join(dir, entry.name));
    if (inside.some((name) => BSON_FILE.test(name))) databases.push(entry.name);
  }
  if (databases.length === 1) return join(dir, databases[0] ?? '');
  if (databases.length === 0) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `${dir} is not a mongodump folder: no .bson files in it or its folders.`,
    );
  }
  throw new AltarError(
    'INVALID_ARGUMENT',
    `${dir} holds several databases (${databases.join(', ')}); name one with --db.`,
  );
}

async function readMetadata(folder: string, name: string, gz: boolean): Promise<Document | null> {
  const path = join(folder, `${name}.metadata.json${gz ? '.gz' : ''}`);
  try {
    const bytes = await readFile(path);
    const text = (gz ? gunzipSync(bytes) : bytes).toString('utf8');
    return EJSON.parse(text, { relaxed: false }) as Document;
  } catch {
    return null;
  }
}
