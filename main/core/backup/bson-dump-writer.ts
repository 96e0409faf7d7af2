import { mkdir } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { BSON, EJSON, Int32 } from 'bson';
import type { Document } from 'bson';
import type { DocCollection, SacredDocSet } from './sacred-doc-set';

export interface DumpWriteOptions {
  /** As mongodump's --gzip: `.bson.gz` and `.metadata.json.gz`. */
  gzip: boolean;
  onCollection?: (name: string) => void;
  /** Called every few documents with the running count of the collection being written. */
  onDocuments?: (name: string, count: number, bytes: number) => void;
  signal?: AbortSignal;
}

export interface DumpWriteSummary {
  /** The database folder written: DIR/<db>. */
  folder: string;
  collections: { name: string; documents: number; bytes: number }[];
}

/**
 * Writes a doc set in mongodump's directory layout, so `mongorestore DIR` restores it:
 * DIR/<db>/<collection>.bson (the documents back to back) and <collection>.metadata.json
 * (`{indexes, uuid, collectionName, type}` in canonical Extended JSON, as mongodump writes it).
 */
export async function writeBsonDump(
  dir: string,
  set: SacredDocSet,
  options: DumpWriteOptions,
): Promise<DumpWriteSummary> {
  const folder = join(dir, set.database);
  await mkdir(folder, { recursive: true });
  const suffix = options.gzip ? '.gz' : '';
  const written: DumpWriteSummary['collections'] = [];
  for (const collection of set.collections) {
    options.onCollection?.(collection.name);
    let documents = 0;
    let bytes = 0;
    async function* encoded(): AsyncGenerator<Uint8Array> {
      for await (const doc of collection.docs()) {
        options.signal?.throwIfAborted();
        const data = doc instanceof Uint8Array ? doc : BSON.serialize(doc);
        documents++;
        bytes += data.length;
        if (documents % 200 === 0) options.onDocuments?.(collection.name, documents, bytes);
        yield data;
      }
    }
    const target = join(folder, `${collection.name}.bson${suffix}`);
    await writeStream(Readable.from(encoded()), target, options.gzip);
    options.onDocuments?.(collection.name, documents, bytes);
    const metadata = Buffer.from(metadataJson(collection), 'utf8');
    await writeStream(
      Readable.from([metadata]),
      join(folder, `${collection.name}.metadata.json${suffix}`),
      options.gzip,
    );
    written.push({ name: collection.name, documents, bytes });
  }
  return { folder, collections: written };
}

/** The indexes a collection of this role has when none could be read: the ones MongoDB makes. */
export function defaultIndexes(collection: Pick<DocCollection, 'role'>): Document[] {
  const idIndex = { v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' };
  if (collection.role === 'files') {
    // What GridFS drivers create on first upload.
    return [
      idIndex,
      {
        v: new Int32(2),
        key: { filename: new Int32(1), uploadDate: new Int32(1) },
        name: 'filename_1_uploadDate_1',
      },
    ];
  }
  if (collection.role === 'chunks') {
    return [
      idIndex,
      {
        v: new Int32(2),
        unique: true,
        key: { files_id: new Int32(1), n: new Int32(1) },
        name: 'files_id_1_n_1',
      },
    ];
  }
  return [idIndex];
}

/** mongodump's metadata document (mongo-tools `Metadata`): options omitted when empty. */
export function metadataJson(collection: DocCollection): string {
  const meta: Document = { indexes: collection.indexes ?? defaultIndexes(collection) };
  if (collection.uuid !== null) meta.uuid = collection.uuid;
  meta.collectionName = collection.name;
  meta.type = 'collection';
  return EJSON.stringify(meta, { relaxed: false });
}

function writeStream(input: Readable, path: string, gzip: boolean): Promise<void> {
  return gzip
    ? pipeline(input, createGzip(), createWriteStream(path))
    : pipeline(input, createWriteStream(path));
}
