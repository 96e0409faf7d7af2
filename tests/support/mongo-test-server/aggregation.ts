// Aggregation pipelines through mingo, with the expression operators mingo answers
// differently from mongod replaced: comparisons across types follow the BSON order,
// $min/$max/$avg/$sum accept a single non-array value, and ObjectId conversions exist.
// Pipelines run on promoted views (bson-values.ts); documents that come out with the
// _id of a stored one get that document's number types back.
import { Aggregator } from 'mingo/aggregator';
import { Context, ProcessingMode, evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { ObjectId } from 'bson';
import type { Document } from 'bson';
import { canonicalKey, compareBson } from './bson-order';
import { mingoView, promoted, retypeFrom } from './bson-values';
import { CommandError } from './command-error';

type ExpressionOperator = (obj: unknown, expr: unknown, options: Options) => unknown;

/** Aggregation expressions order missing below null (`{$eq: ['$missing', null]}` is false). */
function compareValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) {
    return a === b ? 0 : a === undefined ? -1 : 1;
  }
  return compareBson(a, b);
}

function twoArguments(
  name: string,
  obj: unknown,
  expr: unknown,
  options: Options,
): [unknown, unknown] {
  const args = evalExpr(obj, expr, options);
  if (!Array.isArray(args) || args.length !== 2) {
    throw new CommandError(
      'Location16020',
      `Expression ${name} takes exactly 2 arguments. ${Array.isArray(args) ? args.length : 1} were passed in.`,
    );
  }
  return [args[0], args[1]];
}

function comparison(name: string, test: (order: number) => boolean | number): ExpressionOperator {
  return (obj, expr, options) => {
    const [a, b] = twoArguments(name, obj, expr, options);
    return test(compareValues(a, b));
  };
}

/**
 * The values a $min/$max/$avg/$sum expression works on: with one operand that resolves to
 * an array, its elements; with one other operand, that value; with a list, each value.
 */
function operands(obj: unknown, expr: unknown, options: Options): unknown[] {
  if (Array.isArray(expr) && expr.length !== 1) {
    return expr.map((item: unknown) => evalExpr(obj, item, options));
  }
  const single: unknown = evalExpr(obj, Array.isArray(expr) ? expr[0] : expr, options);
  return Array.isArray(single) ? single : [single];
}

const isNumber = (value: unknown): value is number => typeof value === 'number';

function extreme(direction: 1 | -1): ExpressionOperator {
  return (obj, expr, options) => {
    let best: unknown = null;
    for (const value of operands(obj, expr, options)) {
      if (value === undefined || value === null) continue;
      if (best === null || compareBson(value, best) * direction > 0) best = value;
    }
    return best;
  };
}

const $sum: ExpressionOperator = (obj, expr, options) =>
  operands(obj, expr, options)
    .filter(isNumber)
    .reduce((total, value) => total + value, 0);

const $avg: ExpressionOperator = (obj, expr, options) => {
  const numbers = operands(obj, expr, options).filter(isNumber);
  return numbers.length === 0 ? null : numbers.reduce((a, b) => a + b, 0) / numbers.length;
};

function toObjectId(value: unknown): ObjectId | null {
  if (value === undefined || value === null) return null;
  if (value instanceof ObjectId) return value;
  if (typeof value === 'string' && /^[0-9a-fA-F]{24}$/u.test(value)) {
    return ObjectId.createFromHexString(value);
  }
  throw new CommandError(
    'ConversionFailure',
    `Failed to parse objectId '${String(value)}' in $convert with no onError value: Invalid string length for parsing to OID, expected 24 but found ${String(value).length}`,
  );
}

const $toObjectId: ExpressionOperator = (obj, expr, options) =>
  toObjectId(evalExpr(obj, expr, options));

const mingoConvert = expressionOperators.$convert as ExpressionOperator;
const $convert: ExpressionOperator = (obj, expr, options) => {
  const spec = expr as Document;
  const to: unknown = evalExpr(obj, spec?.to, options);
  if (to !== 'objectId' && to !== 7) return mingoConvert(obj, expr, options);
  const input: unknown = evalExpr(obj, spec.input, options);
  if (input === undefined || input === null) {
    return spec.onNull === undefined ? null : evalExpr(obj, spec.onNull, options);
  }
  try {
    return toObjectId(input);
  } catch (error) {
    if (spec.onError === undefined) throw error;
    return evalExpr(obj, spec.onError, options);
  }
};

const mingoToString = expressionOperators.$toString as ExpressionOperator;
const $toString: ExpressionOperator = (obj, expr, options) => {
  const value: unknown = evalExpr(obj, expr, options);
  if (value instanceof ObjectId) return value.toHexString();
  return mingoToString(obj, { $literal: value }, options);
};

type AccumulatorOperator = (collection: unknown[], expr: unknown, options: Options) => unknown;

/**
 * mingo evaluates `$group`'s accumulators through the expression table with the group's
 * documents as `obj`: those go to mingo's accumulator, single documents to `expression`.
 */
function alsoAccumulator(accumulator: unknown, expression: ExpressionOperator): ExpressionOperator {
  return (obj, expr, options) =>
    Array.isArray(obj)
      ? (accumulator as AccumulatorOperator)(obj, expr, options)
      : expression(obj, expr, options);
}

const EXPRESSION_OVERRIDES: Record<string, ExpressionOperator> = {
  $eq: comparison('$eq', (order) => order === 0),
  $ne: comparison('$ne', (order) => order !== 0),
  $gt: comparison('$gt', (order) => order > 0),
  $gte: comparison('$gte', (order) => order >= 0),
  $lt: comparison('$lt', (order) => order < 0),
  $lte: comparison('$lte', (order) => order <= 0),
  $cmp: comparison('$cmp', (order) => Math.sign(order)),
  $min: alsoAccumulator(accumulatorOperators.$min, extreme(-1)),
  $max: alsoAccumulator(accumulatorOperators.$max, extreme(1)),
  $sum: alsoAccumulator(accumulatorOperators.$sum, $sum),
  $avg: alsoAccumulator(accumulatorOperators.$avg, $avg),
  $toObjectId,
  $convert,
  $toString,
};

const CONTEXT = Context.init({
  accumulator: { ...accumulatorOperators },
  expression: { ...expressionOperators, ...EXPRESSION_OVERRIDES },
  pipeline: { ...pipelineOperators },
  projection: { ...projectionOperators },
  query: { ...queryOperators },
  window: { ...windowOperators },
} as Parameters<typeof Context.init>[0]);

/**
 * Runs a pipeline over stored documents; `resolve` gives the stored documents of another
 * collection of the database ($lookup). Stored documents are never mutated.
 */
export function runPipeline(
  pipeline: Document[],
  docs: Document[],
  resolve: (collection: string) => Document[],
): Document[] {
  const results = new Aggregator(promoted(pipeline), {
    context: CONTEXT,
    processingMode: ProcessingMode.CLONE_INPUT,
    collectionResolver: (name: string) => resolve(name).map(mingoView),
  }).run(docs.map(mingoView)) as Document[];
  const byId = new Map<string, Document>();
  for (const doc of docs) if ('_id' in doc) byId.set(canonicalKey(doc._id), doc);
  return results.map((result) => {
    const source = '_id' in result ? byId.get(canonicalKey(result._id)) : undefined;
    return source === undefined ? result : (retypeFrom(result, source) as Document);
  });
}
