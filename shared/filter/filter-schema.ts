import { z } from 'zod';
import { checkColumnPath } from './column-catalog';
import type { FilterNode, FilterValue } from './filter-ast';
import { compileFilterRegex } from './filter-regex';

/** zod form of the filter tree, for the contract: the UI may send the tree instead of text. */
export const ColumnPathSchema = z
  .array(z.string().max(1024))
  .min(1)
  .max(64)
  .superRefine((path, ctx) => {
    const problem = checkColumnPath(path);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

const ISO_DATE =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$/u;

export const FilterValueSchema: z.ZodType<FilterValue, FilterValue> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('number'), value: z.number() }).strict(),
  z.object({ type: z.literal('string'), value: z.string().max(10_000) }).strict(),
  z.object({ type: z.literal('bool'), value: z.boolean() }).strict(),
  z.object({ type: z.literal('null') }).strict(),
  z
    .object({
      type: z.literal('date'),
      value: z
        .string()
        .regex(ISO_DATE, 'must be an ISO date such as 2024-05-01 or 2024-05-01T10:00:00Z')
        .refine((text) => !Number.isNaN(Date.parse(text)), 'is not a valid date'),
    })
    .strict(),
]);

export const CompareOpSchema = z.enum(['=', '!=', '<', '<=', '>', '>=']);

export const FilterNodeSchema: z.ZodType<FilterNode, FilterNode> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('and'), items: z.array(FilterNodeSchema).max(1000) }).strict(),
    z.object({ type: z.literal('or'), items: z.array(FilterNodeSchema).max(1000) }).strict(),
    z.object({ type: z.literal('not'), item: FilterNodeSchema }).strict(),
    z
      .object({
        type: z.literal('compare'),
        path: ColumnPathSchema,
        op: CompareOpSchema,
        value: FilterValueSchema,
      })
      .strict(),
    z
      .object({
        type: z.literal('in'),
        path: ColumnPathSchema,
        values: z.array(FilterValueSchema).min(1).max(10_000),
      })
      .strict(),
    z
      .object({ type: z.literal('contains'), path: ColumnPathSchema, value: FilterValueSchema })
      .strict(),
    z
      .object({
        type: z.literal('matches'),
        path: ColumnPathSchema,
        pattern: z.string().max(10_000),
        flags: z.string().regex(/^[imsu]*$/u, 'may use only the flags i, m, s and u'),
      })
      .strict()
      .superRefine((node, ctx) => {
        const compiled = compileFilterRegex(node.pattern, node.flags);
        if (!compiled.ok) {
          ctx.addIssue({
            code: 'custom',
            message: `invalid regular expression: ${compiled.reason}`,
          });
        }
      }),
    z.object({ type: z.literal('exists'), path: ColumnPathSchema }).strict(),
    z.object({ type: z.literal('missing'), path: ColumnPathSchema }).strict(),
    z.object({ type: z.literal('text'), value: z.string().max(10_000) }).strict(),
  ]),
);
