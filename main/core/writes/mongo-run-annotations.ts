import type { Collection, Db } from 'mongodb';
import { AltarError } from '../../../shared/errors';
import type { EditField } from '../../../shared/contract/writes-methods';
import { idFromOrigin } from '../mongo/read-mongo-run';
import { resolveCollections } from '../mongo/sync-mongo-source';
import type { AnyIdDocument, SacredId } from '../mongo/sync-mongo-source';
import { omniboardNotes, omniboardTags } from './omniboard-annotations';
import type { EditValue } from './pending-edit-store';

/** Omniboard's paths (server/models/runs.js, flattened by moredots): nothing else is written. */
const OMNIBOARD_PATH: Record<EditField, string> = {
  tags: 'omniboard.tags',
  notes: 'omniboard.notes',
};
/** Only what the effective tags and notes are read from. */
const ANNOTATION_PROJECTION = { omniboard: 1, 'config.tags': 1, 'meta.comment': 1, comment: 1 };

/** The runs collection of a source's database, or NOT_FOUND. */
export async function runsCollectionOf(
  db: Db,
  prefix: string | null,
): Promise<Collection<AnyIdDocument>> {
  const name = (await resolveCollections(db, prefix)).runs;
  if (name === null) {
    throw new AltarError('NOT_FOUND', `Database ${db.databaseName} has no runs collection.`);
  }
  return db.collection<AnyIdDocument>(name);
}

/** A run's tags and notes on the server as Omniboard shows them, or null when it is gone. */
export async function serverAnnotations(
  runs: Collection<AnyIdDocument>,
  origin: string,
  timeoutMS: number,
): Promise<{ tags: string[]; notes: string } | null> {
  const doc = await runs.findOne(
    { _id: idFromOrigin(origin) as SacredId },
    { projection: ANNOTATION_PROJECTION, maxTimeMS: timeoutMS },
  );
  return doc === null ? null : { tags: omniboardTags(doc), notes: omniboardNotes(doc) };
}

/**
 * `$set` of `omniboard.tags` or `omniboard.notes`, as Omniboard's editors do; config and meta
 * are never touched. False when the run is gone from the server.
 */
export async function setServerAnnotation(
  runs: Collection<AnyIdDocument>,
  origin: string,
  field: EditField,
  value: EditValue,
  timeoutMS: number,
): Promise<boolean> {
  const result = await runs.updateOne(
    { _id: idFromOrigin(origin) as SacredId },
    { $set: { [OMNIBOARD_PATH[field]]: value } },
    { maxTimeMS: timeoutMS },
  );
  return result.matchedCount > 0;
}
