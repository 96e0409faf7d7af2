// find semantics: mingo decides which documents match and shapes projections
// (including `$slice`), while sorting follows mongod's BSON order.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { compareBson } from './bson-order';
import { mingoView, promoted } from './bson-values';
import { CommandError } from './command-error';
import { isPlainObject, sortKeyAt } from './field-path';

export interface FindSpec {
  filter?: Document;
  sort?: Document;
  skip?: number;
  /** 0 or absent: no limit. */
  limit?: number;
  projection?: Document;
}

function mingoFailure(error: unknown): CommandError {
  return new CommandError('BadValue', error instanceof Error ? error.message : String(error));
}

/** The stored documents (numbers still typed) whose promoted view matches the filter. */
export function matching(docs: Document[], filter: Document | undefined): Document[] {
  if (!filter || Object.keys(filter).length === 0) return [...docs];
  try {
    const query = new Query(promoted(filter), {});
    return docs.filter((doc) => query.test(mingoView(doc)));
  } catch (error) {
    throw mingoFailure(error);
  }
}

export function sorted(docs: Document[], sort: Document | undefined): Document[] {
  const keys = Object.entries(promoted(sort ?? {})).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number',
  );
  if (keys.length === 0) return docs;
  // {$natural: ±1}: the stored (insertion) order, or its reverse.
  if (keys.length === 1 && keys[0]![0] === '$natural') {
    return keys[0]![1] === -1 ? [...docs].reverse() : docs;
  }
  for (const [field, direction] of keys) {
    if (direction !== 1 && direction !== -1) {
      throw new CommandError('BadValue', `bad sort specification for ${field}`);
    }
  }
  const decorated = docs.map((doc) => ({
    doc,
    key: keys.map(([field, direction]) => sortKeyAt(doc, field, direction as 1 | -1)),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i += 1) {
      const c = compareBson(a.key[i], b.key[i]);
      if (c !== 0) return c * keys[i]![1];
    }
    return 0;
  });
  return decorated.map((entry) => entry.doc);
}

/** mongod returns _id first whatever the projection order. */
function idFirst(doc: Document): Document {
  if (!('_id' in doc)) return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

type SliceSpec = number | [number, number];

function sliceArray(values: unknown[], spec: SliceSpec): unknown[] {
  if (typeof spec === 'number') return spec >= 0 ? values.slice(0, spec) : values.slice(spec);
  const [skip, limit] = spec;
  if (limit <= 0) throw new CommandError('BadValue', '$slice limit must be positive');
  const start = skip >= 0 ? skip : Math.max(values.length + skip, 0);
  return values.slice(start, start + limit);
}

/** Copy of `value` with the array at `parts` sliced; shared sub-documents are not mutated. */
function withSlice(value: unknown, parts: string[], spec: SliceSpec): unknown {
  if (parts.length === 0) return Array.isArray(value) ? sliceArray(value, spec) : value;
  if (Array.isArray(value)) return value.map((element) => withSlice(element, parts, spec));
  if (!isPlainObject(value)) return value;
  const [head, ...rest] = parts as [string, ...string[]];
  if (!(head in value)) return value;
  return { ...value, [head]: withSlice(value[head], rest, spec) };
}

function sliceSpec(value: unknown): SliceSpec | undefined {
  if (!isPlainObject(value) || !('$slice' in value) || Object.keys(value).length !== 1) {
    return undefined;
  }
  const spec: unknown = value.$slice;
  if (typeof spec === 'number') return Math.trunc(spec);
  if (Array.isArray(spec) && spec.length === 2 && spec.every((n) => typeof n === 'number')) {
    return [Math.trunc(spec[0] as number), Math.trunc(spec[1] as number)];
  }
  throw new CommandError('BadValue', '$slice only supports numbers and [skip, limit] arrays');
}

/**
 * mongod treats `{ field: { $slice: ... } }` as neither inclusion nor exclusion (all other
 * fields stay unless the projection includes some), which mingo does not, so the slices
 * are applied here and mingo handles the rest.
 */
export function projected(docs: Document[], projection: Document | undefined): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  projection = promoted(projection);
  const slices: Array<[string, SliceSpec]> = [];
  const rest: Document = {};
  for (const [field, value] of Object.entries(projection)) {
    const spec = sliceSpec(value);
    if (spec === undefined) rest[field] = value;
    else slices.push([field, spec]);
  }
  const including = Object.entries(rest).some(
    ([field, value]) => field !== '_id' && value !== 0 && value !== false,
  );
  if (including) for (const [field] of slices) rest[field] = 1;
  let shaped = docs;
  if (Object.keys(rest).length > 0) {
    try {
      shaped = new Query({}, {}).find<Document>(docs, rest).all();
    } catch (error) {
      throw mingoFailure(error);
    }
  }
  return shaped.map((doc) => {
    let out: Document = doc;
    for (const [field, spec] of slices) out = withSlice(out, field.split('.'), spec) as Document;
    return idFirst(out);
  });
}

export function runFind(docs: Document[], spec: FindSpec): Document[] {
  let result = sorted(matching(docs, spec.filter), spec.sort);
  const skip = spec.skip ?? 0;
  if (skip < 0) throw new CommandError('BadValue', 'skip value must be non-negative');
  if (skip > 0) result = result.slice(skip);
  const limit = Math.abs(spec.limit ?? 0);
  if (limit > 0) result = result.slice(0, limit);
  return projected(result, spec.projection);
}
