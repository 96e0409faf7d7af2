import type { ArtifactDownloadSummary } from '../../../shared/contract';
import type { ArtifactDownloadProgress } from '../../../shared/events';
import { formatBytes } from './format';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line saying what "make available offline" did. */
export function describeDownload(summary: ArtifactDownloadSummary): string {
  if (summary.artifacts === 0) {
    return summary.runs === 1 ? 'This run has no artifacts.' : 'These runs have no artifacts.';
  }
  const parts: string[] = [];
  if (summary.downloaded > 0) {
    parts.push(
      `Downloaded ${plural(summary.downloaded, 'artifact')} (${formatBytes(summary.bytes)})`,
    );
  }
  if (summary.alreadyAvailable > 0) {
    parts.push(
      summary.downloaded > 0
        ? `${summary.alreadyAvailable} already available offline`
        : `All ${plural(summary.alreadyAvailable, 'artifact')} already available offline`.replace(
            /^All 1 artifact already/u,
            'The artifact is already',
          ),
    );
  }
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped`);
  const line = `${parts.join('; ')}.`;
  return summary.message === null ? line : `${line} ${summary.message}`;
}

/** "12 / 40 · 3.1 MB of 80 MB" while downloading. */
export function describeProgress(progress: ArtifactDownloadProgress): string {
  const count = `${progress.done} / ${progress.total}`;
  return progress.totalBytes > 0
    ? `${count} · ${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)}`
    : count;
}

/** Share done, by bytes when known (a few big files dominate), else by count; null: unknown. */
export function progressFraction(progress: ArtifactDownloadProgress | null): number | null {
  if (progress === null) return null;
  if (progress.totalBytes > 0) return Math.min(1, progress.bytes / progress.totalBytes);
  return progress.total > 0 ? Math.min(1, progress.done / progress.total) : null;
}
