import type * as BackupIoModule from './backup-io';

/** The backup's readers and writers (backup-io.ts), imported on the first backup call. */
export function backupIo(): Promise<typeof BackupIoModule> {
  return import('./backup-io');
}
