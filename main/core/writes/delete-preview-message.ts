import { join } from 'node:path';
import type { DeletePreview } from '../../../shared/contract/delete-methods';

export function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The confirmation's text, the same in the window and the CLI: how many runs, metric points
 * and files go, and what stays (raw data, shared source files, the trash).
 */
export function deletePreviewMessage(
  preview: Omit<DeletePreview, 'message'>,
  location: string,
): string {
  const runs = plural(preview.runs.length, 'run');
  const points = `${plural(preview.metricPoints, 'metric point')} in ${plural(
    preview.metricSeries,
    'metric',
  )}`;
  const lines: string[] = [];
  if (preview.action === 'trash') {
    lines.push(
      `${runs} of "${preview.source}" (${points}, ${plural(preview.artifactFiles, 'artifact')}) ` +
        `will move to ${join(location, '.altar-trash')}. Nothing is erased: ` +
        'the source menu can restore them.',
    );
  } else {
    const sources =
      preview.sourceFiles === null
        ? 'source files only these runs use (how many is not known while the server is unreachable)'
        : plural(preview.sourceFiles, 'source file');
    lines.push(
      `${runs} of "${preview.source}" will be deleted from MongoDB: ${points}, ` +
        `${plural(preview.artifactFiles, 'artifact file')} and ${sources}.`,
    );
    if ((preview.sharedSourceFilesKept ?? 0) > 0) {
      lines.push(
        `${plural(preview.sharedSourceFilesKept ?? 0, 'source file')} other runs use too ` +
          `${preview.sharedSourceFilesKept === 1 ? 'is' : 'are'} kept.`,
      );
    }
    lines.push('This cannot be undone.');
  }
  const running = preview.runs.filter((run) => run.status === 'RUNNING').length;
  if (running > 0) {
    lines.push(
      `${plural(running, 'run')} ${running === 1 ? 'is' : 'are'} still RUNNING: its observer ` +
        'may write to it again after the delete.',
    );
  }
  lines.push(
    preview.runsWithRawData > 0
      ? `Raw data of ${plural(preview.runsWithRawData, 'run')} (MinIO or local files) is not ` +
          'deleted: it stays where it is.'
      : 'Raw data in MinIO is never deleted by the app.',
  );
  if (preview.missing.length > 0) {
    lines.push(`Not in the cache (left alone): ${preview.missing.join(', ')}.`);
  }
  if (preview.refusal !== null) lines.push(`Cannot delete now: ${preview.refusal}`);
  return lines.join('\n');
}
