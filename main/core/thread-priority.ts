import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Puts the calling thread (a worker thread doing background work) at the lowest scheduling
 * priority, so that on a busy machine the window and the threads answering it get the CPU
 * first and the background work takes what is left. Linux only: there a thread's id can be
 * given to setpriority and it changes that thread alone; elsewhere it would change the whole
 * process, so nothing is done. Returns whether the priority was lowered.
 */
export function lowerThisThreadsPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // "PID/task/TID"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    return false;
  }
}
