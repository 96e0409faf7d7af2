import { CLOSE_GRACE_MS } from '../../core/close-grace';
import { LAUNCH_CODE_TTL_MS, startHttpHost } from '../../hosts/http-host';
import type { OutputStream } from '../cli-io';
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

/**
 * The longest `serve` stays after a stop signal. Closing is bounded (the core's grace, then the
 * connections' own wait); past that, what is left is a socket still waiting on a server that
 * does not answer, and it must not keep a Ctrl+C from ending the process.
 */
const EXIT_DEADLINE_MS = CLOSE_GRACE_MS + 7000;

function exitAfterDeadline(stderr: OutputStream): void {
  const timer = setTimeout(() => {
    const open = new Map<string, number>();
    for (const kind of process.getActiveResourcesInfo()) open.set(kind, (open.get(kind) ?? 0) + 1);
    const listed = [...open].map(([kind, count]) => `${count} ${kind}`).join(', ');
    stderr.write(
      `altar-viewer: still closing ${EXIT_DEADLINE_MS / 1000} s after the stop signal ` +
        `(open: ${listed}); exiting without waiting further.\n`,
    );
    process.exit(process.exitCode ?? 0);
  }, EXIT_DEADLINE_MS);
  // Only a process that would otherwise stay: one that closes in time exits without it.
  timer.unref();
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
    exitAfterDeadline(io.stderr);
  } finally {
    if (forgetLauncher !== null) clearTimeout(forgetLauncher);
    launcher?.remove();
  }
  await server.close();
  return 0;
};
