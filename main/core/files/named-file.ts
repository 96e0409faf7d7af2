import { stat } from 'node:fs/promises';
import { AltarError } from '../../../shared/errors';
import { checkContained, outsideMessage, realFolders } from './contained-path';
import { fileKind } from './regular-file';

/** A file a run names, checked for reading now: where it really is, and the folders it may be in. */
export interface CheckedFile {
  realPath: string;
  size: number;
  /** Real paths of the allowed folders, for the check once the file is open. */
  within: string[];
}

/**
 * The read-time half of the rule in contained-path.ts, for every door (HTTP routes, Electron
 * protocols, the CLI): the sync's warnings may be old (a link made since, a folder trusted
 * since), so each read checks again. `what` names the file in messages (`artifact "a.png"`).
 * Throws NOT_FOUND for a file that is gone and FORBIDDEN, saying where the name points and how
 * to trust that folder, for one outside the allowed folders or one that is not a regular file.
 */
export async function checkNamedFile(
  path: string,
  what: string,
  allowedFolders: readonly string[],
  source: string,
): Promise<CheckedFile> {
  const within = await realFolders(allowedFolders);
  const contained = await checkContained(path, within);
  if (contained.kind === 'missing') {
    throw new AltarError('NOT_FOUND', `The ${what} is no longer at ${path}.`);
  }
  if (contained.kind === 'outside') {
    throw new AltarError('FORBIDDEN', capitalize(outsideMessage(what, contained.realPath, source)));
  }
  const info = await stat(contained.realPath);
  if (!info.isFile()) {
    throw new AltarError(
      'FORBIDDEN',
      capitalize(`${what} is ${fileKind(info)}, not a regular file; it is not read.`),
    );
  }
  return { realPath: contained.realPath, size: info.size, within };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
