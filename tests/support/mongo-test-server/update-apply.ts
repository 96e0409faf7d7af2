// Applies one update statement to one document: operator updates ($set, $push
// with $each, ...) through mingo's updater, replacements, pipeline updates, and
// the document an upsert inserts. Numbers keep their BSON types (bson-values.ts)
// and new fields are added in lexicographic path order, as mongod >= 5.0 does.
import { update as mingoUpdate } from 'mingo/updater';
import type { Modifier } from 'mingo/updater';
import { Double, EJSON, Long, ObjectId } from 'bson';
import type { Document } from 'bson';
import { runPipeline } from './aggregation';
import { compareBson } from './bson-order';
import { cloneDocument, promoted, retypeFrom } from './bson-values';
import { CommandError } from './command-error';
import { isPlainObject, setAt, valueAt } from './field-path';

export { cloneDocument };

export interface UpdateOutcome {
  doc: Document;
  modified: boolean;
}

function idFirst(doc: Document): Document {
  if (!('_id' in doc)) return { _id: new ObjectId(), ...doc };
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function isOperatorUpdate(update: Document): boolean {
  const keys = Object.keys(update);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw new CommandError(
      'FailedToParse',
      `Unknown modifier: ${keys.find((key) => !key.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  return operators.length > 0;
}

function immutableId(): CommandError {
  return new CommandError(
    'ImmutableField',
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/** The equality fields of a query, which seed the document an upsert inserts. */
export function upsertSeed(query: Document): Document {
  const seed: Document = {};
  const collect = (q: Document): void => {
    for (const [key, value] of Object.entries(q)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) if (isPlainObject(part)) collect(part);
      } else if (key.startsWith('$')) {
        continue;
      } else if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
        if ('$eq' in value) setAt(seed, key, value.$eq);
      } else {
        setAt(seed, key, value);
      }
    }
  };
  collect(query);
  return seed;
}

/** mongod's order of update paths: component by component, numeric names as numbers. */
function comparePaths(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i += 1) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (/^\d+$/u.test(x) && /^\d+$/u.test(y)) return Number(x) - Number(y);
    return Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
  }
  return pa.length - pb.length;
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

interface PathUpdate {
  operator: string;
  path: string;
  value: unknown;
}

/** Operators whose effect does not depend on comparing numbers, applied to typed values. */
const TYPED_OPERATORS = new Set(['$set', '$unset', '$rename', '$currentDate', '$push']);

function appliesTyped(change: PathUpdate): boolean {
  if (!TYPED_OPERATORS.has(change.operator) || change.path.includes('$')) return false;
  return !(change.operator === '$push' && isPlainObject(change.value) && '$sort' in change.value);
}

/** Splits an operator update into one change per path, checking mongod's path conflicts. */
function pathUpdates(operators: Document): PathUpdate[] {
  const changes: PathUpdate[] = [];
  for (const [operator, spec] of Object.entries(operators)) {
    if (!isPlainObject(spec)) {
      throw new CommandError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${Array.isArray(spec) ? 'array' : typeof spec} instead.`,
      );
    }
    for (const [path, value] of Object.entries(spec)) {
      const targets = operator === '$rename' && typeof value === 'string' ? [path, value] : [path];
      for (const target of targets) {
        const clash = changes.find((other) =>
          [other.path, ...(other.operator === '$rename' ? [String(other.value)] : [])].some(
            (seen) => overlaps(seen, target),
          ),
        );
        if (clash) {
          throw new CommandError(
            'ConflictingUpdateOperators',
            `Updating the path '${target}' would create a conflict at '${clash.path}'`,
          );
        }
      }
      changes.push({ operator, path, value });
    }
  }
  return changes.sort((a, b) => comparePaths(a.path, b.path));
}

type NumberKind = 'int' | 'long' | 'double' | null;

function numberKind(value: unknown): NumberKind {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (value !== null && typeof value === 'object' && '_bsontype' in value) {
    const tag = String(value._bsontype);
    if (tag === 'Double') return 'double';
    if (tag === 'Long') return 'long';
    if (tag === 'Int32') return 'int';
  }
  return null;
}

/** $inc/$mul give the wider type of the field and the operand (int < long < double). */
function arithmeticResultType(doc: Document, before: Document, change: PathUpdate): void {
  if ((change.operator !== '$inc' && change.operator !== '$mul') || change.path.includes('$')) {
    return;
  }
  const result: unknown = valueAt(doc, change.path);
  if (typeof result !== 'number') return;
  const kinds = [numberKind(valueAt(before, change.path)), numberKind(change.value)];
  if (kinds.includes('double')) {
    if (Number.isInteger(result)) setAt(doc, change.path, new Double(result));
  } else if (
    kinds.includes('long') ||
    !Number.isSafeInteger(result) ||
    Math.abs(result) > 0x7fffffff
  ) {
    if (Number.isSafeInteger(result)) setAt(doc, change.path, Long.fromNumber(result));
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  const kind = numberKind(value);
  if (kind !== null) return kind;
  if (value instanceof Date) return 'date';
  if (typeof value === 'object' && '_bsontype' in value)
    return String(value._bsontype).toLowerCase();
  return 'object';
}

/** mongod refuses $push onto a field that holds something other than an array. */
function checkPushTarget(doc: Document, change: PathUpdate): void {
  if (change.operator !== '$push' || change.path.includes('$')) return;
  const current: unknown = valueAt(doc, change.path);
  if (current === undefined || Array.isArray(current)) return;
  const field = change.path.slice(change.path.lastIndexOf('.') + 1);
  throw new CommandError(
    'BadValue',
    `The field '${field}' must be an array but is of type ${typeName(current)} in document {_id: ${EJSON.stringify(doc._id, { relaxed: true })}}`,
  );
}

function mingoFailure(error: unknown): CommandError {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes("immutable field '_id'")) return immutableId();
  return new CommandError('FailedToParse', message);
}

/** `$set: {_id: same}` is accepted (Sacred sends the whole run); a new value is refused. */
function withoutUnchangedId(operators: Document, doc: Document): Document {
  const set: unknown = operators.$set;
  if (!isPlainObject(set) || !('_id' in set)) return operators;
  const { _id: id, ...rest } = set;
  if ('_id' in doc) {
    if (compareBson(id, doc._id) !== 0) throw immutableId();
  } else {
    doc._id = id; // an upsert whose query did not give the _id
  }
  return { ...operators, $set: rest };
}

/** mongod parses an update before looking for documents: a bad one fails even on no match. */
export function checkUpdate(update: Document | Document[]): void {
  if (!Array.isArray(update) && isOperatorUpdate(update)) pathUpdates(update);
}

function applyOperators(
  original: Document,
  update: Document,
  options: { query?: Document; arrayFilters?: Document[]; inserting: boolean },
): Document {
  const { $setOnInsert, ...rest } = update;
  let operators: Document = rest;
  if (options.inserting && isPlainObject($setOnInsert)) {
    operators = {
      ...operators,
      $set: { ...(operators.$set as Document | undefined), ...$setOnInsert },
    };
  }
  let doc = cloneDocument(original);
  operators = withoutUnchangedId(operators, doc);
  for (const change of pathUpdates(operators)) {
    const modifier = { [change.operator]: { [change.path]: change.value } } as Modifier<Document>;
    checkPushTarget(doc, change);
    try {
      if (appliesTyped(change)) {
        mingoUpdate(doc, modifier, undefined, undefined, { cloneMode: 'deep' });
      } else {
        // Arithmetic, comparisons and positional paths need plain numbers: apply to a
        // promoted copy, then restore the types of the values that did not change.
        const work = promoted(cloneDocument(doc));
        const positional = change.path.includes('$') && !options.inserting;
        mingoUpdate(
          work,
          promoted(modifier),
          options.arrayFilters === undefined ? undefined : promoted(options.arrayFilters),
          positional && options.query ? promoted(options.query) : undefined,
          { cloneMode: 'deep' },
        );
        const before = doc;
        doc = retypeFrom(work, doc) as Document;
        arithmeticResultType(doc, before, change);
      }
    } catch (error) {
      throw mingoFailure(error);
    }
  }
  return doc;
}

/** Byte-level identity, as mongod decides nModified (1 and 1.0 differ). */
function sameDocument(a: Document, b: Document): boolean {
  return EJSON.stringify(a, { relaxed: false }) === EJSON.stringify(b, { relaxed: false });
}

export function applyUpdate(
  original: Document,
  update: Document | Document[],
  options: { query?: Document; arrayFilters?: Document[]; inserting: boolean },
): UpdateOutcome {
  let doc: Document;
  if (Array.isArray(update)) {
    try {
      const [result] = runPipeline(update, [cloneDocument(original)], () => []);
      doc = result ?? {};
    } catch (error) {
      throw new CommandError('BadValue', error instanceof Error ? error.message : String(error));
    }
  } else if (isOperatorUpdate(update)) {
    doc = applyOperators(original, update, options);
  } else {
    if ('_id' in update && '_id' in original && compareBson(update._id, original._id) !== 0) {
      throw immutableId();
    }
    doc = { ...update };
    if ('_id' in original) doc._id = original._id;
  }
  if ('_id' in original && compareBson(doc._id, original._id) !== 0) throw immutableId();
  doc = idFirst(doc);
  return { doc, modified: !sameDocument(doc, original) };
}
