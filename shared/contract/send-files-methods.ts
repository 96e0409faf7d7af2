/**
 * What the "Send runs…" wizard needs to see of the folders before it sends them (issue 16):
 * the sub-folders and files of a folder on the core's computer (the browser door cannot list
 * them itself, and the desktop's folder dialog gives no file list), and a preview of one file as
 * the send would read it. Both read files only, and only for a source where writes are on, as
 * previewSend does. Spread into `methods` in shared/contract.ts.
 *
 * This file imports nothing from shared/contract.ts (see send-methods.ts for why).
 */
import { z } from 'zod';
import { SourceNameSchema } from './source-name';

export { PREVIEW_TABLE_ROWS, PREVIEW_TEXT_CHARS } from './send-files-preview-limits';

const absolutePath = z.string().min(1).max(4096);
/** A cell of a CSV or spreadsheet: NaN and infinities as the strings "NaN", "Infinity". */
const CellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const SendFolderListingSchema = z.object({
  /** The folder listed, absolute and normalised. */
  path: z.string(),
  /** Its parent folder, or null at the root of the file system. */
  parent: z.string().nullable(),
  /** Names of the folders directly inside, sorted. */
  folders: z.array(z.string()),
  /** Files inside ("/"-separated, relative): directly inside, or every one when recursive. */
  files: z.array(z.object({ path: z.string(), size: z.number().int() })),
  /** Whether the listing stopped early (a folder far too large for a lab folder). */
  truncated: z.boolean(),
});
export type SendFolderListing = z.infer<typeof SendFolderListingSchema>;

export const SendFileRoleForPreviewSchema = z.enum(['config', 'metrics', 'results', 'other']);

export const SendFilePreviewSchema = z.object({
  size: z.number().int(),
  /** A CSV/xlsx file's first rows, as the send reads them; null for other files. */
  table: z.array(z.array(CellSchema)).nullable(),
  /** How many rows the table has in all. */
  tableRows: z.number().int().nullable(),
  /** A config or results file as the run will hold it; null for other roles. */
  parsed: z.record(z.string(), z.json()).nullable(),
  /** The start of a text file (JSON, YAML, CSV, …); null for binary files. */
  text: z.string().nullable(),
  /** Why the file cannot be read as what it was mapped to, else null. */
  problem: z.string().nullable(),
});
export type SendFilePreview = z.infer<typeof SendFilePreviewSchema>;

export const sendFilesMethods = {
  /** The sub-folders and files of a folder, to choose what to send. */
  listSendFolder: {
    args: z
      .object({ source: SourceNameSchema, path: absolutePath, recursive: z.boolean().optional() })
      .strict(),
    result: SendFolderListingSchema,
  },
  /** One file of a folder read as the send would read it in the given role. */
  previewSendFile: {
    args: z
      .object({
        source: SourceNameSchema,
        folder: absolutePath,
        /** Relative to the folder ("/"-separated); never outside it. */
        file: z.string().min(1).max(1024),
        role: SendFileRoleForPreviewSchema,
        separator: z.string().min(1).max(4).optional(),
        header: z.boolean().optional(),
        flatten: z.boolean().optional(),
      })
      .strict(),
    result: SendFilePreviewSchema,
  },
} as const;
