/**
 * The contract slice of lab users (issue 17): the users of a MongoDB source's database, and
 * adding a member as reader (`read` on the database) or writer (`readWrite`), a new password,
 * a role change and removal, as the lab's admin recipes do with mongosh, without the password
 * ever appearing in a URI or a log. Spread into `methods` in shared/contract.ts.
 *
 * This file imports nothing from shared/contract.ts (that file imports this one).
 */
import { z } from 'zod';
import { SourceNameSchema } from './source-name';

const sourceName = SourceNameSchema;

/** mongod accepts almost any name; these keep a name safe in a URI and a shell line. */
const userName = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[\w.@-]+$/u, 'may contain only letters, digits, "_", "-", "." and "@"');

/** The two roles a lab gives its members, on the source's database. */
export const LabRoleSchema = z.enum(['reader', 'writer']);
export type LabRole = z.infer<typeof LabRoleSchema>;

/** A password typed once in a masked field; `generate` asks the core for one instead. */
const newPassword = {
  password: z.string().min(8, 'must be at least 8 characters').max(1024).optional(),
  generate: z.boolean().optional(),
};

export const LabUserSchema = z.object({
  name: z.string(),
  /** The database the user is defined in (its authSource). */
  userDb: z.string(),
  /** What the user may do on the source's database: reader, writer, or admin (roots, owners). */
  access: z.enum(['reader', 'writer', 'admin', 'other']),
  /** Every role as the server lists it ("readWrite@sacred", "root@admin"). */
  roles: z.array(z.string()),
});
export type LabUser = z.infer<typeof LabUserSchema>;

const changed = z.object({
  name: z.string(),
  /** Only when the core generated it: shown once, never stored or logged. */
  generatedPassword: z.string().nullable(),
});

export const usersMethods = {
  listLabUsers: {
    args: z.object({ source: sourceName }).strict(),
    result: z.object({
      /** The source's database, whose access the roles give. */
      database: z.string(),
      /** Where new users are created (the source's authSource, admin by default). */
      userDb: z.string(),
      users: z.array(LabUserSchema),
    }),
  },
  addLabUser: {
    args: z
      .object({ source: sourceName, name: userName, role: LabRoleSchema, ...newPassword })
      .strict(),
    result: changed,
  },
  changeLabUserPassword: {
    args: z.object({ source: sourceName, name: userName, ...newPassword }).strict(),
    result: changed,
  },
  setLabUserRole: {
    args: z.object({ source: sourceName, name: userName, role: LabRoleSchema }).strict(),
    result: z.object({ name: z.string() }),
  },
  removeLabUser: {
    args: z.object({ source: sourceName, name: userName }).strict(),
    result: z.object({ removed: z.literal(true) }),
  },
} as const;
