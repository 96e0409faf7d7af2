import { ObjectId } from 'bson';
import type { Document } from 'bson';
import { isObjectId } from './sacred-doc-set';

/** The values a run document points at in other collections (SACRED_FORMAT.md §1). */
export interface RunReferences {
  /** GridFS `fs.files` ids of its artifacts and source files. */
  fileIds: ObjectId[];
  /** `metrics` document ids listed in `info.metrics`. */
  metricIds: ObjectId[];
}

function asObjectId(value: unknown): ObjectId | null {
  if (isObjectId(value)) return value;
  if (typeof value === 'string' && /^[0-9a-f]{24}$/iu.test(value)) return new ObjectId(value);
  return null;
}

function asDict(value: unknown): Document | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Document)
    : null;
}

/** Artifacts `[{name, file_id}]`, sources `[[name, file_id]]`, `info.metrics [{name, id}]`. */
export function runReferences(run: Document): RunReferences {
  const fileIds: ObjectId[] = [];
  const artifacts: unknown = run.artifacts;
  if (Array.isArray(artifacts)) {
    for (const artifact of artifacts) {
      const id = asObjectId(asDict(artifact)?.file_id) ?? asObjectId(artifact);
      if (id !== null) fileIds.push(id);
    }
  }
  const sources: unknown = asDict(run.experiment)?.sources;
  if (Array.isArray(sources)) {
    for (const source of sources) {
      const id = Array.isArray(source) ? asObjectId(source[1]) : null;
      if (id !== null) fileIds.push(id);
    }
  }
  const metricIds: ObjectId[] = [];
  const refs: unknown = asDict(run.info)?.metrics;
  if (Array.isArray(refs)) {
    for (const ref of refs) {
      const id = asObjectId(asDict(ref)?.id);
      if (id !== null) metricIds.push(id);
    }
  }
  return { fileIds, metricIds };
}

/** Rewrites the references of a run document in place through the given id maps (hex → new). */
export function remapRunReferences(
  run: Document,
  files: ReadonlyMap<string, ObjectId>,
  metrics: ReadonlyMap<string, ObjectId>,
): void {
  const artifacts: unknown = run.artifacts;
  if (Array.isArray(artifacts)) {
    for (const artifact of artifacts) {
      const entry = asDict(artifact);
      const id = asObjectId(entry?.file_id);
      const mapped = id === null ? undefined : files.get(id.toHexString());
      if (entry !== null && mapped !== undefined) entry.file_id = mapped;
    }
  }
  const sources: unknown = asDict(run.experiment)?.sources;
  if (Array.isArray(sources)) {
    for (const source of sources) {
      if (!Array.isArray(source)) continue;
      const id = asObjectId(source[1]);
      const mapped = id === null ? undefined : files.get(id.toHexString());
      if (mapped !== undefined) source[1] = mapped;
    }
  }
  const refs: unknown = asDict(run.info)?.metrics;
  if (Array.isArray(refs)) {
    for (const ref of refs) {
      const entry = asDict(ref);
      const id = asObjectId(entry?.id);
      const mapped = id === null ? undefined : metrics.get(id.toHexString());
      // Sacred writes the hex string; an ObjectId stays an ObjectId.
      if (entry !== null && mapped !== undefined) {
        entry.id = typeof entry.id === 'string' ? mapped.toHexString() : mapped;
      }
    }
  }
}
