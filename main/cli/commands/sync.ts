import type { SourceInfo, SyncSummary } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import type { AltarCore } from '../../core/altar-core';
import { UsageError } from '../cli-errors';
import type { CliIo } from '../cli-io';
import type { Command } from '../command-context';
import { describeFailure } from '../describe-failure';
import { integerOption, requireOperands } from '../command-line';
import { formatByteSize } from '../../../shared/byte-size';
import { withoutSecrets } from '../known-secrets';
import { showSyncProgress } from '../sync-progress-bar';

export const DEFAULT_WATCH_INTERVAL_S = 60;

export function syncSummaryLine(summary: SyncSummary, source: SourceInfo | undefined): string {
  const runs = source?.runCount ?? summary.added + summary.updated + summary.unchanged;
  // Bytes only where the source measures them (MongoDB: what crossed the network).
  const bytes = summary.bytes === undefined ? '' : `${formatByteSize(summary.bytes)}, `;
  const kept =
    summary.keptHalfWritten === undefined
      ? ''
      : `; ${summary.keptHalfWritten} half-written, kept as last read, read again next sync`;
  return (
    `${summary.source}: ${runs} runs (${summary.added} added, ${summary.updated} updated, ` +
    `${summary.removed} removed, ${summary.unreadable} unreadable${kept}), ` +
    `${summary.points} points, ${bytes}${summary.seconds.toFixed(1)} s\n`
  );
}

/**
 * Syncs one source at a time so each gets its line, and one failure does not hide the others.
 * With --watch, does so every --interval seconds until SIGINT/SIGTERM, one line per source
 * and round; a round that fails is reported and the next one comes all the same.
 */
export const sync: Command = async ({ line, io, core }) => {
  const requested = requireOperands(line, [], true);
  const watch = line.options.watch === true;
  const interval = integerOption(line, 'interval', 1, 7 * 24 * 3600);
  if (interval !== undefined && !watch) throw new UsageError("'--interval' needs '--watch'");
  const altar = core();
  const known = await altar.listSources({});
  const names = requested.length > 0 ? [...new Set(requested)] : known.map((source) => source.name);
  for (const name of names) {
    if (!known.some((source) => source.name === name)) {
      throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    }
  }
  if (names.length === 0) {
    io.stdout.write(
      'No sources to sync. Add one with "altar-viewer sources add NAME --folder PATH" (or --mongo URI).\n',
    );
    return 0;
  }
  const hideProgress = showSyncProgress(altar, io.stderr);
  try {
    if (!watch) return await syncRound(altar, names, io);
    if (io.stderr.isTTY === true) {
      io.stderr.write(
        `Syncing every ${interval ?? DEFAULT_WATCH_INTERVAL_S} s; press Ctrl+C to stop.\n`,
      );
    }
    // Ctrl+C in the middle of a round cancels its sync between two runs: quick, and safe.
    const stop = interruptWatch(() => {
      for (const name of names) altar.cancelSync({ source: name }).catch(() => undefined);
    });
    try {
      while (!stop.stopped) {
        await syncRound(altar, names, io);
        await stop.sleep((interval ?? DEFAULT_WATCH_INTERVAL_S) * 1000);
      }
    } finally {
      stop.dispose();
    }
    return 0;
  } finally {
    hideProgress();
  }
};

async function syncRound(altar: AltarCore, names: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  for (const name of names) {
    try {
      const [summary] = await altar.syncSources({ names: [name] });
      if (summary === undefined) continue;
      const after = await altar.listSources({});
      io.stdout.write(
        syncSummaryLine(
          summary,
          after.find((source) => source.name === name),
        ),
      );
    } catch (error) {
      const failure = describeFailure(error);
      const text = failure.line.replace(/^altar-viewer: /u, `altar-viewer: ${name}: `);
      io.stderr.write(`${withoutSecrets(text, [], io.env)}\n`);
      exitCode = Math.max(exitCode, 1);
    }
  }
  return exitCode;
}

/** Ctrl+C (or SIGTERM) ends the wait at once; the sync in progress stops after its run. */
function interruptWatch(onStop: () => void): {
  readonly stopped: boolean;
  sleep(ms: number): Promise<void>;
  dispose(): void;
} {
  let stopped = false;
  let wake: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const onSignal = (): void => {
    stopped = true;
    onStop();
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get stopped() {
      return stopped;
    },
    sleep(ms) {
      if (stopped) return Promise.resolve();
      return new Promise((resolve) => {
        wake = () => {
          if (timer !== null) clearTimeout(timer);
          wake = null;
          resolve();
        };
        timer = setTimeout(() => wake?.(), ms);
      });
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer !== null) clearTimeout(timer);
    },
  };
}
