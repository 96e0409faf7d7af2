import { BSON } from 'bson';
import type { Document, ObjectId } from 'bson';
import type { Db } from 'mongodb';
import { existingCollections, resolveCollections } from '../mongo/sync-mongo-source';
import { runReferences } from './run-references';
import { BSON_READ_OPTIONS, OMNIBOARD_COLLECTIONS } from './sacred-doc-set';
import type { CollectionRole, DocCollection, SacredDocSet } from './sacred-doc-set';

/** Ids per `$in` query: keeps each command far below the 16 MiB limit. */
const ID_BATCH = 500;

export interface MongoReadOptions {
  prefix: string | null;
  /** The `_id`s of the runs to take (with what they reference); null takes every document. */
  runIds: readonly unknown[] | null;
}

/**
 * A live Sacred database as a doc set: the runs collection (its prefix kept), its metrics,
 * GridFS `fs` and Omniboard's collections. Documents come as the server's bytes (`raw`), so a
 * dump is byte for byte what the server holds.
 */
export async function readMongoDocSet(db: Db, options: MongoReadOptions): Promise<SacredDocSet> {
  const resolved = await resolveCollections(db, options.prefix);
  if (resolved.runs === null) {
    throw new Error(`database ${db.databaseName} has no runs collection`);
  }
  const runsName = resolved.runs;
  const metricsName = resolved.metrics.collection;
  const present = await existingCollections(db, [
    metricsName,
    'fs.files',
    'fs.chunks',
    ...OMNIBOARD_COLLECTIONS,
  ]);
  const omitted: string[] = [];
  if (
    resolved.legacyBucket !== 'fs' &&
    (await existingCollections(db, [`${resolved.legacyBucket}.files`])).size > 0
  ) {
    omitted.push(`Sacred 0.6's GridFS bucket ${resolved.legacyBucket} (copy it with mongodump)`);
  }

  let runFilter: Document = {};
  let metricFilter: Document = {};
  let fileFilter: Document = {};
  let chunkFilter: Document = {};
  if (options.runIds !== null) {
    const ids = [...options.runIds];
    const fileIds = new Map<string, ObjectId>();
    const metricIds = new Map<string, ObjectId>();
    for (let start = 0; start < ids.length; start += ID_BATCH) {
      const cursor = db.collection(runsName).find(byIds(ids.slice(start, start + ID_BATCH)), {
        projection: { artifacts: 1, 'experiment.sources': 1, 'info.metrics': 1 },
        ...BSON_READ_OPTIONS,
      });
      for await (const run of cursor) {
        const refs = runReferences(run);
        for (const id of refs.fileIds) fileIds.set(id.toHexString(), id);
        for (const id of refs.metricIds) metricIds.set(id.toHexString(), id);
      }
    }
    runFilter = { _id: { $in: ids } };
    // A shared `metrics` collection (deprecated collection names) holds other collections'
    // runs under the same run_id: only the ids the runs list are theirs for sure.
    metricFilter = resolved.metrics.shared
      ? { _id: { $in: [...metricIds.values()] } }
      : { $or: [{ run_id: { $in: ids } }, { _id: { $in: [...metricIds.values()] } }] };
    fileFilter = { _id: { $in: [...fileIds.values()] } };
    chunkFilter = { files_id: { $in: [...fileIds.values()] } };
  }

  const collection = async (
    name: string,
    role: CollectionRole,
    filter: Document,
  ): Promise<DocCollection> => {
    const info = await db
      .listCollections({ name }, { nameOnly: false, authorizedCollections: true })
      .toArray()
      .catch(() => []);
    const uuid: unknown = (info[0] as Document | undefined)?.info?.uuid;
    const indexes = await db
      .collection(name)
      .listIndexes()
      .toArray()
      .catch(() => null);
    return {
      name,
      role,
      indexes,
      uuid:
        typeof uuid === 'object' && uuid !== null && 'toString' in uuid && 'sub_type' in uuid
          ? (uuid as { toString(encoding: 'hex'): string }).toString('hex')
          : null,
      docs: async function* () {
        // `$in` lists stay small enough for one command each.
        for await (const raw of db.collection(name).find(filter, { raw: true })) {
          yield raw as unknown as Uint8Array;
        }
      },
    };
  };

  const collections: DocCollection[] = [await collection(runsName, 'runs', runFilter)];
  if (present.has(metricsName))
    collections.push(await collection(metricsName, 'metrics', metricFilter));
  if (present.has('fs.files')) collections.push(await collection('fs.files', 'files', fileFilter));
  if (present.has('fs.chunks'))
    collections.push(await collection('fs.chunks', 'chunks', chunkFilter));
  for (const name of OMNIBOARD_COLLECTIONS) {
    if (present.has(name)) collections.push(await collection(name, 'omniboard', {}));
  }
  return { database: db.databaseName, collections, omitted };
}

/** A raw document from the driver or a dump as a Document keeping its BSON types. */
export function asDocument(doc: Document | Uint8Array): Document {
  return doc instanceof Uint8Array ? BSON.deserialize(doc, BSON_READ_OPTIONS) : doc;
}

/** The collections of a set that hold one kind of document (runs, metrics, files...). */
export function collectionsOfRole(set: SacredDocSet, role: CollectionRole): DocCollection[] {
  return set.collections.filter((collection) => collection.role === role);
}

/** Every document of the collections, decoded, one at a time. */
export async function* documentsOf(collections: DocCollection[]): AsyncGenerator<Document> {
  for (const collection of collections) {
    for await (const doc of collection.docs()) yield asDocument(doc);
  }
}

/** A filter on `_id` values of any BSON type (the driver's types expect ObjectIds). */
export function byIds(ids: readonly unknown[], field = '_id'): Document {
  return { [field]: { $in: [...ids] } };
}
