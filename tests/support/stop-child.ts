import type { ChildProcess } from 'node:child_process';
import { settledWithin } from '../../main/core/settled-within';

/** Longer than `serve`'s own deadline after a stop signal, so a serve that needs it still ends. */
const STOP_WAIT_MS = 30_000;

/**
 * Sends SIGTERM and waits for the exit. A child that already ended, by an exit code or by a
 * signal, is done. One still there after STOP_WAIT_MS is killed and the stop fails with what it
 * printed: a hang is then an error that says which process and why, not a hook timeout.
 */
export async function stopChild(
  child: ChildProcess,
  label: string,
  output: () => string,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (await settledWithin([exited], STOP_WAIT_MS)) return;
  child.kill('SIGKILL');
  await exited;
  throw new Error(
    `${label} did not exit within ${STOP_WAIT_MS / 1000} s of SIGTERM; it printed:\n` +
      output().slice(-4000),
  );
}
