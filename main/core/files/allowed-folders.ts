import type { Database } from 'better-sqlite3';
import { StorageProfileStore } from '../cache/storage-profile-store';
import { TrustedFolderStore } from '../cache/trusted-folder-store';

/**
 * The folders whose files a source's runs may name (see contained-path.ts): a folder source's
 * own folder, the folders the user trusts for the source, and the local raw-data folders of
 * its storage profile (the user named those for this source's files already).
 */
export function allowedFoldersOf(
  db: Database,
  source: { name: string; kind: string; location: string },
): string[] {
  const own = source.kind === 'folder' ? [source.location] : [];
  const trusted = new TrustedFolderStore(db).list(source.name);
  const localRoots = new StorageProfileStore(db).get(source.name)?.localRoots ?? [];
  return [...new Set([...own, ...trusted, ...localRoots])];
}
