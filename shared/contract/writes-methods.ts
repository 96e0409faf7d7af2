/**
 * The contract slice of writes (issue 15): turning writes on per source, tags and notes as
 * Omniboard writes them (`omniboard.tags`, `omniboard.notes`), the source's tags for
 * autocomplete, and edits made offline that wait for the server (pending, or in conflict).
 * Spread into `methods` in shared/contract.ts.
 *
 * This file imports nothing from shared/contract.ts: that file imports this one, and a cycle
 * would leave its schemas undefined while this one is evaluated.
 */
import { z } from 'zod';
import { SourceNameSchema } from './source-name';

const sourceName = SourceNameSchema;
const runId = z.string().min(1).max(512);
/** A tag as Omniboard stores it: any non-empty string; surrounding blanks are trimmed. */
const tag = z.string().trim().min(1, 'a tag must not be empty').max(256);
const tagList = z.array(tag).max(1000);
/** Notes are free text; Omniboard has no cap, this keeps one run's document reasonable. */
const notesText = z.string().max(1_000_000);

/** What enabling or disabling writes of a source found. */
export const SourceWritesSchema = z.object({
  source: z.string(),
  /** Writes are on for this source now (what SourceInfo.writable says). */
  writable: z.boolean(),
  /**
   * MongoDB: whether the connection's user may update the source's runs, as the server's
   * privileges say (connectionStatus); null when it could not be asked (offline) or the roles
   * are custom ones we cannot judge. Folder sources: whether the folder is writable by us.
   */
  userCanWrite: z.boolean().nullable(),
  /** Why writes stay off or may fail ("this user can only read lab"), or null. */
  message: z.string().nullable(),
});
export type SourceWrites = z.infer<typeof SourceWritesSchema>;

export const EditFieldSchema = z.enum(['tags', 'notes']);
export type EditField = z.infer<typeof EditFieldSchema>;

/** One run's tags and notes after an edit, as the cache now shows them. */
export const RunEditSchema = z.object({
  source: z.string(),
  id: z.string(),
  tags: z.array(z.string()),
  /** The run's notes ('' when none), Omniboard's `omniboard.notes`. */
  notes: z.string(),
  /**
   * `saved`: written to the source. `pending`: the source was unreachable; kept in the cache and
   * written at the next successful sync. `conflict`: the source changed since; see
   * listPendingEdits and resolveEditConflict.
   */
  state: z.enum(['saved', 'pending', 'conflict']),
});
export type RunEdit = z.infer<typeof RunEditSchema>;

/** An edit not yet written to its source (MongoDB sources only). */
export const PendingEditSchema = z.object({
  source: z.string(),
  id: z.string(),
  field: EditFieldSchema,
  /** What the user set: a tag list for `tags`, a string for `notes`. */
  mine: z.union([z.array(z.string()), z.string()]),
  /** What the server had when the edit was made (the cache's value then). */
  base: z.union([z.array(z.string()), z.string()]),
  /** For a conflict: what the server has now; null while simply pending. */
  theirs: z.union([z.array(z.string()), z.string()]).nullable(),
  state: z.enum(['pending', 'conflict']),
  /** When the edit was made, ISO 8601 UTC. */
  madeAt: z.string(),
  /** The last failure to write it (a refused write, a lost connection), or null. */
  lastError: z.string().nullable(),
});
export type PendingEdit = z.infer<typeof PendingEditSchema>;

export const writesMethods = {
  /**
   * Turns writes (tags, notes, delete) of a source on or off; every source starts read-only.
   * Turning them on asks the server what the user may do (never by trying a write): a user
   * with the `read` role only keeps the source read-only and gets the message saying so.
   */
  setSourceWrites: {
    args: z.object({ source: sourceName, enabled: z.boolean() }).strict(),
    result: SourceWritesSchema,
  },
  /**
   * Tags of one or more runs of a source: `tags` replaces the whole list; `add`/`remove`
   * change it (applied to each run's current tags, in that order). READ_ONLY when writes are
   * off; a RUNNING folder run is refused (Sacred rewrites its run.json on every heartbeat).
   */
  setTags: {
    args: z
      .object({
        source: sourceName,
        ids: z.array(runId).min(1).max(10_000),
        tags: tagList.optional(),
        add: tagList.optional(),
        remove: tagList.optional(),
      })
      .strict()
      .refine(
        (args) => args.tags !== undefined || args.add !== undefined || args.remove !== undefined,
        {
          message: 'give tags, or add and/or remove',
        },
      )
      .refine(
        (args) => args.tags === undefined || (args.add === undefined && args.remove === undefined),
        {
          message: 'tags replaces the list: give it alone, or add/remove',
        },
      ),
    result: z.object({ runs: z.array(RunEditSchema) }),
  },
  /** A run's notes (Omniboard's `omniboard.notes`); '' clears them. */
  setNotes: {
    args: z.object({ source: sourceName, id: runId, notes: notesText }).strict(),
    result: RunEditSchema,
  },
  /** The tags already used by a source's runs (all sources when omitted), for autocomplete. */
  listTags: {
    args: z
      .object({
        sources: z.array(sourceName).max(1000).optional(),
        /** Keep tags containing this text (case-insensitive). */
        search: z.string().max(256).optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    result: z.object({
      /** Most used first, then by name. */
      tags: z.array(z.object({ tag: z.string(), runs: z.number().int() })),
    }),
  },
  /** Edits waiting for their source's server, pending or in conflict. */
  listPendingEdits: {
    args: z.object({ source: sourceName.optional() }).strict(),
    result: z.object({ edits: z.array(PendingEditSchema) }),
  },
  /**
   * Settles a conflict (or drops a pending edit with `theirs`): `mine` writes the user's value
   * over the server's now, `theirs` keeps the server's and forgets the edit.
   */
  resolveEditConflict: {
    args: z
      .object({
        source: sourceName,
        id: runId,
        field: EditFieldSchema,
        keep: z.enum(['mine', 'theirs']),
      })
      .strict(),
    result: RunEditSchema,
  },
} as const;
