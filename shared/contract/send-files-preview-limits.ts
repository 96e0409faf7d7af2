// The send wizard's preview limits, apart from send-files-methods.ts (zod) so that the core
// imports them without loading zod before `serve` prints its URL (main/core/contract-checks.ts).

/** Rows of a table file shown in a preview; the rest are counted, not sent. */
export const PREVIEW_TABLE_ROWS = 20;
/** Characters of a text file shown in a preview. */
export const PREVIEW_TEXT_CHARS = 4000;
