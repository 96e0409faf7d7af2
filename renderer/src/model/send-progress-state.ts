import type { SendProgress } from '../../../shared/contract/send-methods';

export interface FileProgress {
  file: string;
  bytes: number;
  totalBytes: number;
}

export interface FolderProgress {
  folder: string;
  state: 'waiting' | 'sending' | 'done';
  /** How a done folder ended: a run COMPLETED or FAILED, or NOT_SENT (refused, stopped). */
  status: 'COMPLETED' | 'FAILED' | 'NOT_SENT' | null;
  /** Files stored so far and the one being stored, in order. */
  files: FileProgress[];
}

/** A running send as the progress step shows it, built from `sendProgress` events. */
export interface SendProgressState {
  phase: 'sending' | 'done' | 'failed' | 'cancelled';
  folders: FolderProgress[];
  foldersDone: number;
  foldersTotal: number;
}

export function initialSendProgress(folders: readonly string[]): SendProgressState {
  return {
    phase: 'sending',
    folders: folders.map((folder) => ({ folder, state: 'waiting', status: null, files: [] })),
    foldersDone: 0,
    foldersTotal: folders.length,
  };
}

/**
 * The state after one event of this send (events of other sends are filtered out before). The
 * folder counts are this state's own: a wizard send may be two sendRuns calls (resumed folders,
 * then folders sent again), each counting its own folders.
 */
export function applySendProgress(
  state: SendProgressState,
  event: SendProgress,
): SendProgressState {
  if (event.phase === 'done' || event.phase === 'failed' || event.phase === 'cancelled') {
    return { ...state, phase: event.phase };
  }
  if (event.folder === null) return state;
  const folders = state.folders.map((folder): FolderProgress => {
    if (folder.folder !== event.folder) return folder;
    if (event.phase === 'folder-done') {
      return { ...folder, state: 'done', status: event.folderStatus ?? 'COMPLETED' };
    }
    if (event.file === null) return { ...folder, state: 'sending' };
    const file = { file: event.file, bytes: event.bytes, totalBytes: event.totalBytes };
    const known = folder.files.some((entry) => entry.file === event.file);
    return {
      ...folder,
      state: 'sending',
      files: known
        ? folder.files.map((entry) => (entry.file === event.file ? file : entry))
        : [...folder.files, file],
    };
  });
  return {
    ...state,
    phase: 'sending',
    folders,
    foldersDone: folders.filter((folder) => folder.state === 'done').length,
  };
}

/** 0..1 of the whole send: finished folders, plus the share of the current file. */
export function sendFraction(state: SendProgressState): number {
  if (state.foldersTotal === 0) return 0;
  if (state.phase === 'done') return 1;
  const current = state.folders.find((folder) => folder.state === 'sending');
  const file = current?.files.at(-1);
  const part = file !== undefined && file.totalBytes > 0 ? file.bytes / file.totalBytes : 0;
  return Math.min(1, (state.foldersDone + part) / state.foldersTotal);
}
