/**
 * Deep links of the desktop app: `altar-viewer://run/<SOURCE>/<ID>`, each part URL-encoded.
 * The operating system hands these to the app from any web page or chat message, so the
 * parser accepts exactly this shape and nothing else (no query, no fragment, no user or port,
 * no extra path segments, a source name as the contract allows it).
 */

export const DEEP_LINK_SCHEME = 'altar-viewer';

/** A run a deep link names. */
export interface DeepLinkRun {
  source: string;
  runId: string;
}

/** As shared/contract.ts's SourceNameSchema (kept here so that the preload needs no zod). */
const SOURCE_NAME = /^[\w.-]{1,64}$/u;
/** As RunKeySchema's id: 1 to 512 characters; no control characters in a link. */
const MAX_RUN_ID = 512;
/** Longer links are refused before any parsing (the OS may hand over anything). */
const MAX_LINK = 2048;

/** The link "Copy link" gives for a run. */
export function deepLinkForRun(run: DeepLinkRun): string {
  return `${DEEP_LINK_SCHEME}://run/${encodeURIComponent(run.source)}/${encodeURIComponent(run.runId)}`;
}

/** The run of a deep link, or null when `text` is not exactly a well-formed run link. */
export function parseDeepLink(text: unknown): DeepLinkRun | null {
  if (typeof text !== 'string' || text.length > MAX_LINK) return null;
  const prefix = `${DEEP_LINK_SCHEME}://run/`;
  // Compared before URL parsing: URL would lower-case the scheme and normalise the path.
  if (text.slice(0, prefix.length).toLowerCase() !== prefix) return null;
  const parts = text.slice(prefix.length).split('/');
  if (parts.length !== 2) return null;
  const [rawSource = '', rawId = ''] = parts;
  // Only what encodeURIComponent leaves plus %XX escapes: no ?, #, @, :, spaces or dots-only.
  const encoded = /^(?:[A-Za-z0-9\-_.!~*'()]|%[0-9A-Fa-f]{2})+$/u;
  if (!encoded.test(rawSource) || !encoded.test(rawId)) return null;
  let source: string;
  let runId: string;
  try {
    source = decodeURIComponent(rawSource);
    runId = decodeURIComponent(rawId);
  } catch {
    return null;
  }
  if (!SOURCE_NAME.test(source)) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (runId.length > MAX_RUN_ID || /[\u0000-\u001f\u007f]/u.test(runId)) return null;
  if (runId === '.' || runId === '..') return null;
  return { source, runId };
}
