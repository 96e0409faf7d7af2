import { homedir } from 'node:os';
import { posix, resolve, win32 } from 'node:path';

/** Electron's productName; app.getPath('userData') ends in this folder on every platform. */
export const PRODUCT_NAME = 'Altar Viewer';

export interface DataDirEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  home: string;
}

/**
 * The desktop app's userData directory, computed without Electron so the CLI shares the
 * same sources and cache: Electron resolves it from appData (XDG_CONFIG_HOME or ~/.config
 * on Linux, ~/Library/Application Support on macOS, %APPDATA% on Windows) plus productName.
 */
export function defaultDataDir(
  environment: DataDirEnvironment = {
    env: process.env,
    platform: process.platform,
    home: homedir(),
  },
): string {
  const { env, platform, home } = environment;
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA) ?? win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, PRODUCT_NAME);
  }
  if (platform === 'darwin')
    return posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  const configHome = nonEmpty(env.XDG_CONFIG_HOME) ?? posix.join(home, '.config');
  return posix.join(configHome, PRODUCT_NAME);
}

/**
 * The data folder the desktop app opens: ALTAR_DATA_DIR when set (as the CLI honours it, so a
 * user who moved the data has one folder for both), else defaultDataDir().
 */
export function appDataDir(
  environment: DataDirEnvironment = {
    env: process.env,
    platform: process.platform,
    home: homedir(),
  },
): string {
  const fromEnv = nonEmpty(environment.env.ALTAR_DATA_DIR);
  return fromEnv === undefined ? defaultDataDir(environment) : resolve(fromEnv);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
