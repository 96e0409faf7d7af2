import { LAUNCH_CODE_TTL_MS, startHttpHost } from '../../hosts/http-host';
import type { Command } from '../command-context';
import { integerOption, requireOperands, stringOption } from '../command-line';
import { writeLauncherPage } from '../launcher-page';
import type { LauncherPage } from '../launcher-page';
import { canOpenBrowser, openBrowser } from '../open-browser';
import { rendererDir } from '../package-root';

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const serve: Command = async ({ line, io, core }) => {
  requireOperands(line, []);
  const host = stringOption(line, 'host') ?? '127.0.0.1';
  const port = integerOption(line, 'port', 0, 65_535) ?? 0;
  const altar = core({ background: true });
  const server = await startHttpHost(altar, {
    host,
    port,
    rendererDir: rendererDir(),
  });
  // Listening for the stop signals before the URL is out: whoever reads the URL may send one at
  // once, and a SIGTERM before the handler would end the process without closing the server.
  const stopped = untilSignal();
  io.stdout.write(`Altar Viewer is serving at ${server.url}\n`);
  // After the URL: the user can open it while the run table's first page loads.
  setImmediate(() => altar.warmUp());
  let launcher: LauncherPage | null = null;
  let forgetLauncher: NodeJS.Timeout | null = null;
  if (
    line.options['no-open'] !== true &&
    canOpenBrowser({ env: io.env, platform: process.platform })
  ) {
    // Never the printed URL: the opener's command line is readable by other local users.
    launcher = writeLauncherPage(server.launchUrl());
    openBrowser(launcher.fileUrl);
    const page = launcher;
    forgetLauncher = setTimeout(() => page.remove(), LAUNCH_CODE_TTL_MS);
    forgetLauncher.unref();
  }
  if (io.stderr.isTTY === true) io.stderr.write('Press Ctrl+C to stop.\n');
  try {
    await stopped;
  } finally {
    if (forgetLauncher !== null) clearTimeout(forgetLauncher);
    launcher?.remove();
  }
  await server.close();
  return 0;
};
