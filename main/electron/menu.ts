import path from 'node:path';
import { app, dialog, Menu } from 'electron';
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';
import { toErrorPayload } from '../../shared/errors';
import type { CoreService } from '../core/core-service';
import { uniqueSourceName } from './unique-source-name';

export interface MenuDeps {
  core: CoreService;
  getWindow: () => BrowserWindow | null;
  /**
   * A development run (not packaged): adds Reload and DevTools. An installed app has neither:
   * a reload drops in-flight work, and DevTools would let anyone at the keyboard call the API.
   */
  developer: boolean;
}

export function buildAppMenu(deps: MenuDeps): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'Open Sacred Run Folder…',
          accelerator: 'CmdOrCtrl+O',
          click: () => void openRunFolder(deps),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(deps.developer
          ? [
              { role: 'reload' as const },
              { role: 'forceReload' as const },
              { role: 'toggleDevTools' as const },
              { type: 'separator' as const },
            ]
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'About Altar Viewer', click: () => app.showAboutPanel() }],
    },
  ];
  return Menu.buildFromTemplate(template);
}

/**
 * Adds the chosen folder as a source and syncs it; the core's sourcesChanged and syncProgress
 * events update the UI, so the menu needs no channel of its own to the renderer.
 */
async function openRunFolder({ core, getWindow }: MenuDeps): Promise<void> {
  const window = getWindow();
  const options = { title: 'Open Sacred Run Folder', properties: ['openDirectory' as const] };
  const choice = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options);
  const folder = choice.filePaths[0];
  if (choice.canceled || !folder) return;
  try {
    const sources = await core.listSources({});
    const existing = sources.find(
      (source) => source.kind === 'folder' && source.location === folder,
    );
    const name =
      existing?.name ??
      uniqueSourceName(
        path.basename(folder),
        sources.map((source) => source.name),
      );
    if (!existing) await core.addFolderSource({ name, path: folder });
    await core.syncSources({ names: [name] });
  } catch (error) {
    dialog.showErrorBox('Could not open the run folder', toErrorPayload(error).message);
  }
}
