import { app, dialog, Menu } from 'electron';
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';

export interface MenuDeps {
  getWindow: () => BrowserWindow | null;
  /** Adds or opens a folder the user picked (open-folder.ts: a folder of runs, or one run). */
  openFolder: (folder: string) => void;
  /** The sources opened lately, newest first: File → Open Recent. */
  recentSources: readonly string[];
  /** Lists that source's runs in the window. */
  showSource: (name: string) => void;
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
        {
          label: 'Open Recent',
          submenu:
            deps.recentSources.length === 0
              ? [{ label: 'No Recent Sources', enabled: false }]
              : deps.recentSources.map((name) => ({
                  label: name.replace(/&/gu, '&&'),
                  click: () => deps.showSource(name),
                })),
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

/** Asks for a folder; what it is decides what happens (open-folder.ts). */
async function openRunFolder({ getWindow, openFolder }: MenuDeps): Promise<void> {
  const window = getWindow();
  const options = { title: 'Open Sacred Run Folder', properties: ['openDirectory' as const] };
  const choice = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options);
  const folder = choice.filePaths[0];
  if (choice.canceled || !folder) return;
  openFolder(folder);
}
