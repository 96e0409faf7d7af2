import { spawn } from 'node:child_process';

export interface BrowserEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
}

/** Whether opening a browser makes sense here (not in CI, not on a Linux box without a display). */
export function canOpenBrowser({ env, platform }: BrowserEnvironment): boolean {
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') return false;
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  return true;
}

/** Best effort: the URL is printed anyway, so a missing opener is not an error. */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const [command, args] =
    platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
      // cmd's start needs its empty title argument as typed, not re-quoted by node.
      windowsVerbatimArguments: platform === 'win32',
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener installed: the printed URL is enough.
  }
}
