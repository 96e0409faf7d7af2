// find, getMore, killCursors, aggregate, count and distinct.
import type { Document } from 'bson';
import { runPipeline } from './aggregation';
import { canonicalKey, compareBson, EMPTY_ARRAY_KEY } from './bson-order';
import { collectionName, documentArray, optionalDocument, optionalNumber } from './command-args';
import { CommandError } from './command-error';
import { isPlainObject, valuesAtPath } from './field-path';
import { matching, runFind } from './find-query';
import { candidatesById } from './id-candidates';
import type { CommandContext, CommandHandler } from './server-state';

function storedDocs(context: CommandContext, name: string): Document[] {
  return context.server.store.collection(context.db, name)?.docs ?? [];
}

function idCandidates(
  context: CommandContext,
  name: string,
  filter: Document | undefined,
): Document[] | null {
  return candidatesById(context.server.store.collection(context.db, name), filter);
}

export const find: CommandHandler = (command, context) => {
  const name = collectionName(command, 'find');
  const limit = optionalNumber(command, 'limit') ?? 0;
  const filter = optionalDocument(command, 'filter');
  const docs = runFind(idCandidates(context, name, filter) ?? storedDocs(context, name), {
    filter,
    sort: optionalDocument(command, 'sort'),
    projection: optionalDocument(command, 'projection'),
    skip: optionalNumber(command, 'skip'),
    limit,
  });
  const batchSize = optionalNumber(command, 'batchSize');
  if (batchSize !== undefined && batchSize < 0) {
    throw new CommandError('BadValue', 'BatchSize value must be non-negative');
  }
  const singleBatch = command.singleBatch === true || limit < 0;
  return context.server.cursors.open(`${context.db}.${name}`, docs, batchSize, singleBatch);
};

export const getMore: CommandHandler = (command, context) => {
  const name = collectionName(command, 'collection');
  return context.server.cursors.getMore(
    command.getMore,
    `${context.db}.${name}`,
    optionalNumber(command, 'batchSize'),
  );
};

export const killCursors: CommandHandler = (command, context) => {
  const name = collectionName(command, 'killCursors');
  const ids: unknown = command.cursors;
  if (!Array.isArray(ids))
    throw new CommandError('TypeMismatch', "BSON field 'cursors' must be an array");
  return context.server.cursors.kill(`${context.db}.${name}`, ids);
};

export const aggregate: CommandHandler = (command, context) => {
  const target: unknown = command.aggregate;
  const pipeline = documentArray(command, 'pipeline');
  const cursorOptions = optionalDocument(command, 'cursor');
  if (!cursorOptions && command.explain !== true) {
    throw new CommandError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  for (const stage of pipeline) {
    const [operator] = Object.keys(stage);
    if (operator === '$out' || operator === '$merge') {
      throw new CommandError('BadValue', `${operator} is not supported by the test server`);
    }
  }
  const firstMatch: unknown = pipeline[0]?.$match;
  const narrowed =
    typeof target === 'string' && firstMatch !== null && typeof firstMatch === 'object'
      ? idCandidates(context, target, firstMatch as Document)
      : null;
  let source = typeof target === 'string' ? (narrowed ?? storedDocs(context, target)) : [];
  let stages = pipeline;
  if (pipeline[0] !== undefined && '$collStats' in pipeline[0]) {
    source = [collStats(context, target, pipeline[0].$collStats)];
    stages = pipeline.slice(1);
  }
  let docs: Document[];
  try {
    docs = runPipeline(stages, source, (name) => storedDocs(context, name));
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError('BadValue', error instanceof Error ? error.message : String(error));
  }
  const ns =
    typeof target === 'string' ? `${context.db}.${target}` : `${context.db}.$cmd.aggregate`;
  return context.server.cursors.open(ns, docs, optionalNumber(cursorOptions ?? {}, 'batchSize'));
};

/** `$collStats` (mongoose's estimatedDocumentCount asks for `{count: {}}`). */
function collStats(context: CommandContext, target: unknown, spec: unknown): Document {
  if (typeof target !== 'string') {
    throw new CommandError('InvalidNamespace', '$collStats must be run against a collection');
  }
  if (!isPlainObject(spec)) {
    throw new CommandError(
      'FailedToParse',
      '$collStats must take a nested object but found: ' + String(spec),
    );
  }
  const unsupported = Object.keys(spec).find((key) => key !== 'count');
  if (unsupported !== undefined) {
    throw new CommandError(
      'BadValue',
      `$collStats ${unsupported} is not supported by the test server`,
    );
  }
  const collection = context.server.store.collection(context.db, target);
  const stats: Document = {
    ns: `${context.db}.${target}`,
    host: 'localhost',
    localTime: new Date(),
  };
  if ('count' in spec) {
    if (!collection) {
      throw new CommandError(
        'NamespaceNotFound',
        `Unable to retrieve count in $collStats stage :: caused by :: Collection [${context.db}.${target}] not found.`,
      );
    }
    stats.count = collection.docs.length;
  }
  return stats;
}

export const count: CommandHandler = (command, context) => {
  const name = collectionName(command, 'count');
  let n = matching(storedDocs(context, name), optionalDocument(command, 'query')).length;
  n = Math.max(0, n - (optionalNumber(command, 'skip') ?? 0));
  const limit = Math.abs(optionalNumber(command, 'limit') ?? 0);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

export const distinct: CommandHandler = (command, context) => {
  const name = collectionName(command, 'distinct');
  const key: unknown = command.key;
  if (typeof key !== 'string')
    throw new CommandError('TypeMismatch', "BSON field 'key' must be a string");
  const seen = new Map<string, unknown>();
  for (const doc of matching(storedDocs(context, name), optionalDocument(command, 'query'))) {
    for (const value of valuesAtPath(doc, key, true)) {
      if (value === undefined || value === EMPTY_ARRAY_KEY) continue;
      const hash = canonicalKey(value);
      if (!seen.has(hash)) seen.set(hash, value);
    }
  }
  return { values: [...seen.values()].sort(compareBson), ok: 1 };
};
