import { EJSON, Int32, Long } from 'bson';
import type { Document } from 'bson';
import { bsonTypeOf, isObjectId } from './sacred-doc-set';

/**
 * Where each imported run goes in the target. A run the target already holds (same `_id` and
 * same identity, or imported before under a new id) is skipped, so importing twice adds
 * nothing; a run whose `_id` another run holds gets the next integer id, as Sacred numbers runs.
 */
export type RunPlacement =
  | { kind: 'present'; targetId: unknown }
  | { kind: 'insert'; targetId: unknown }
  | { kind: 'renamed'; targetId: unknown };

/** What the target's runs collection says about one run (see TARGET_RUN_PROJECTION). */
export interface ExistingRun {
  id: unknown;
  identity: string;
  /** `info.altar_import.original_id` of a run this tool renamed, keyed as idKey gives it. */
  importedFrom: string | null;
}

/** Only what identifies a run and an earlier import of it. */
export const TARGET_RUN_PROJECTION = {
  _id: 1,
  'experiment.name': 1,
  command: 1,
  start_time: 1,
  'host.hostname': 1,
  'config.seed': 1,
  'meta.queue_time': 1,
  'info.altar_import': 1,
} as const;

function numeric(value: unknown): number | bigint | null {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (bsonTypeOf(value) === 'Int32') return (value as Int32).value;
  if (bsonTypeOf(value) === 'Long') return (value as Long).toBigInt();
  if (bsonTypeOf(value) === 'Double') return (value as { value: number }).value;
  return null;
}

/** One key per `_id` value: numbers by value whatever their BSON type, as MongoDB compares them. */
export function idKey(id: unknown): string {
  const number = numeric(id);
  if (number !== null) return `n:${String(number)}`;
  if (isObjectId(id)) return `o:${id.toHexString()}`;
  if (typeof id === 'string') return `s:${id}`;
  return `x:${EJSON.stringify({ id }, { relaxed: false })}`;
}

function asDict(value: unknown): Document | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Document)
    : null;
}

/** What makes two documents the same Sacred run: never changed after it started. */
export function runIdentity(run: Document): string {
  const seed = numeric(asDict(run.config)?.seed);
  return EJSON.stringify(
    {
      experiment: asDict(run.experiment)?.name ?? null,
      command: run.command ?? null,
      start: run.start_time ?? null,
      host: asDict(run.host)?.hostname ?? null,
      seed: seed === null ? null : String(seed),
      queued: asDict(run.meta)?.queue_time ?? null,
    },
    { relaxed: false },
  );
}

export function existingRun(doc: Document): ExistingRun {
  const original: unknown = asDict(asDict(doc.info)?.altar_import)?.original_id;
  return {
    id: doc._id,
    identity: runIdentity(doc),
    importedFrom: original === undefined ? null : idKey(original),
  };
}

/**
 * Decides every incoming run's place. `incoming` in dump order; the new ids count up from the
 * largest integer `_id` of the target and of the runs kept as they are.
 */
export function placeRuns(
  incoming: readonly { id: unknown; identity: string }[],
  target: readonly ExistingRun[],
): RunPlacement[] {
  const byId = new Map<string, ExistingRun>();
  const imported = new Map<string, ExistingRun>();
  let largest = 0n;
  const notice = (id: unknown): void => {
    const number = numeric(id);
    if (number === null) return;
    const whole =
      typeof number === 'bigint' ? number : Number.isInteger(number) ? BigInt(number) : null;
    if (whole !== null && whole > largest) largest = whole;
  };
  for (const run of target) {
    byId.set(idKey(run.id), run);
    if (run.importedFrom !== null) imported.set(`${run.importedFrom}\u0000${run.identity}`, run);
    notice(run.id);
  }
  const placements: (RunPlacement | null)[] = incoming.map((run) => {
    const key = idKey(run.id);
    const holder = byId.get(key);
    if (holder !== undefined && holder.identity === run.identity) {
      return { kind: 'present', targetId: holder.id };
    }
    const earlier = imported.get(`${key}\u0000${run.identity}`);
    if (earlier !== undefined) return { kind: 'present', targetId: earlier.id };
    if (holder === undefined) {
      notice(run.id);
      return { kind: 'insert', targetId: run.id };
    }
    return null;
  });
  const taken = new Set(
    incoming.map((run, index) => (placements[index]?.kind === 'insert' ? idKey(run.id) : '')),
  );
  return placements.map((placement) => {
    if (placement !== null) return placement;
    let next = largest + 1n;
    while (taken.has(`n:${String(next)}`)) next++;
    largest = next;
    taken.add(`n:${String(next)}`);
    // Int32 as Sacred writes while it fits; Int64 beyond, as pymongo does.
    const targetId = next < 2n ** 31n ? new Int32(Number(next)) : Long.fromBigInt(next);
    return { kind: 'renamed', targetId };
  });
}
