// A folder the user hands the app (dropped on the window, given on the command line, picked
// in File → Open): a folder of Sacred runs becomes a source, one run's folder opens that run.
// Everything goes through the core's addFolderSource, like the window's "Add folder", so its
// checks apply (an existing folder, a valid name); files a run names stay confined to the
// source's folder and its trusted folders as for any source.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { isAltarError, toErrorPayload } from '../../shared/errors';
import type { DesktopMessage } from '../../shared/desktop-messages';
import type { CoreService } from '../core/core-service';
import { classifyPath } from '../core/folder/classify-handed-path';
import { uniqueSourceName } from './unique-source-name';

export interface OpenFolderDeps {
  core: Pick<CoreService, 'listSources' | 'addFolderSource' | 'syncSources'>;
  /** Asks a yes/no question (a native dialog); true for yes. */
  confirm(question: { message: string; detail: string; yes: string }): Promise<boolean>;
  showError(title: string, message: string): void;
  /** Tells the window what to show (desktop-ipc.ts queues it until the page listens). */
  send(message: DesktopMessage): void;
}

/** The folder source reading `folder`, compared by real path (links resolved), or null. */
async function sourceOfFolder(
  core: OpenFolderDeps['core'],
  folder: string,
): Promise<string | null> {
  const real = await realpath(folder).catch(() => folder);
  for (const source of await core.listSources({})) {
    if (source.kind !== 'folder') continue;
    const location = await realpath(source.location).catch(() => source.location);
    if (location === real || source.location === folder) return source.name;
  }
  return null;
}

/** Syncs a source; one already syncing is fine (its sync reads the same runs). */
async function syncQuietly(core: OpenFolderDeps['core'], name: string): Promise<void> {
  try {
    await core.syncSources({ names: [name] });
  } catch (error) {
    if (!(isAltarError(error) && error.code === 'SYNC_IN_PROGRESS')) throw error;
  }
}

/**
 * The source reading `folder`: the existing one, or a new one named after the folder. Synced
 * either way, so its runs are there when the window shows them.
 */
export async function addFolderAsSource(
  core: OpenFolderDeps['core'],
  folder: string,
): Promise<string> {
  let name = await sourceOfFolder(core, folder);
  if (name === null) {
    const taken = (await core.listSources({})).map((source) => source.name);
    name = uniqueSourceName(path.basename(folder), taken);
    await core.addFolderSource({ name, path: folder });
  }
  await syncQuietly(core, name);
  return name;
}

/** Adds or opens what `given` is, telling the user when it is neither. */
export async function openHandedPath(given: string, deps: OpenFolderDeps): Promise<void> {
  try {
    const handed = await classifyPath(given);
    if (handed.kind === 'unusable') {
      deps.showError('Cannot open this', handed.reason);
      return;
    }
    if (handed.kind === 'runs') {
      const name = await addFolderAsSource(deps.core, handed.folder);
      deps.send({ kind: 'selectSource', source: name });
      return;
    }
    let name = await sourceOfFolder(deps.core, handed.parent);
    if (name === null) {
      const add = await deps.confirm({
        message: `“${handed.runId}” is one run; add its parent folder?`,
        detail:
          `Altar Viewer reads folders of Sacred runs. Adding ${handed.parent} as a source ` +
          'lists this run with the others next to it.',
        yes: 'Add Parent Folder',
      });
      if (!add) return;
      name = await addFolderAsSource(deps.core, handed.parent);
    } else {
      await syncQuietly(deps.core, name);
    }
    deps.send({ kind: 'openRun', source: name, runId: handed.runId });
  } catch (error) {
    deps.showError('Could not open the run folder', toErrorPayload(error).message);
  }
}
