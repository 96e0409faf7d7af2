import { resolve } from 'node:path';
import type { SendMapping } from '../../../shared/contract/send-methods';
import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import type { CommandLine } from '../command-line';
import { choiceOption, requireOperands, stringOption } from '../command-line';
import { withStorageAdvice } from './storage-errors';

/**
 * `send FOLDER... --to SOURCE …`: each folder of lab results becomes a Sacred run in SOURCE (a
 * source whose writes are on), as the old AltarSender did. FILE and GLOB are relative to each
 * folder. Prints the new run ids, one a line (or JSON); --dry-run prints the documents instead.
 * Folder by folder: the folders that cannot be sent are named on stderr and the others sent;
 * exit 1 unless every folder ended in a COMPLETED run. --resume completes the FAILED run of a
 * folder whose earlier send failed part-way, storing only what had not arrived.
 */
export const send: Command = async ({ line, io, core }) => {
  const folders = requireOperands(line, ['FOLDER'], true).map((folder) => resolve(folder));
  const source = stringOption(line, 'to');
  if (source === undefined || source === '') throw new UsageError("'send' needs --to SOURCE");
  const format = choiceOption(line, 'format', ['text', 'json'] as const, 'text');
  const again = line.options.again === true;
  const resume = line.options.resume === true;
  if (again && resume) throw new UsageError('give --again or --resume, not both');
  const args = { source, folders, mapping: mappingOf(line), again, resume };
  const altar = core();
  if (line.options['dry-run'] === true) {
    const preview = await altar.previewSend(args);
    io.stdout.write(`${JSON.stringify(preview.folders, null, 2)}\n`);
    return preview.folders.some((f) => f.problems.length > 0) ? 1 : 0;
  }
  const unsubscribe =
    io.stderr.isTTY === true
      ? altar.on('sendProgress', (progress) => {
          if (progress.file === null) return;
          const percent =
            progress.totalBytes > 0
              ? Math.floor((100 * progress.bytes) / progress.totalBytes)
              : 100;
          io.stderr.write(`\r${progress.file} ${percent}%\u001b[K`);
        })
      : () => undefined;
  try {
    const result = await withStorageAdvice(altar.sendRuns(args));
    if (io.stderr.isTTY === true) io.stderr.write('\r\u001b[K');
    const notSent = result.notSent ?? [];
    if (format === 'json') {
      // One entry a folder: the runs as before, then the folders not sent (status NOT_SENT).
      const outcomes = [
        ...result.runs,
        ...notSent.map((folder) => ({
          folder: folder.folder,
          id: null,
          status: 'NOT_SENT' as const,
          reason: folder.message,
          why: folder.why,
          runId: folder.runId,
        })),
      ];
      io.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
    } else {
      for (const run of result.runs) {
        io.stdout.write(`${run.id}\n`);
        if (run.resumed === true) {
          io.stderr.write(
            `run ${run.id} resumed: ${run.alreadyArrived ?? 0} file(s) had arrived and were not sent again\n`,
          );
        }
        if (run.reason !== null) {
          io.stderr.write(`run ${run.id} FAILED: ${run.reason} (resume it with --resume)\n`);
        }
      }
      for (const folder of notSent) io.stderr.write(`not sent: ${folder.message}\n`);
    }
    // 0 only when every folder is in a COMPLETED run (with --resume, one sent before counts).
    const done =
      result.runs.every((run) => run.status === 'COMPLETED') &&
      notSent.every((folder) => resume && folder.why === 'sent-already');
    return done ? 0 : 1;
  } finally {
    unsubscribe();
  }
};

function list(line: CommandLine, name: string): string[] {
  const value = line.options[name] as unknown;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

function mappingOf(line: CommandLine): SendMapping {
  const config = stringOption(line, 'config');
  const fromName = stringOption(line, 'config-from-name');
  if (config !== undefined && fromName !== undefined) {
    throw new UsageError('give --config or --config-from-name, not both');
  }
  const metrics = stringOption(line, 'metrics');
  const xAxis = stringOption(line, 'x-axis');
  if (xAxis !== undefined && metrics === undefined) {
    throw new UsageError('--x-axis needs --metrics FILE');
  }
  const results = stringOption(line, 'results');
  const rawTo = stringOption(line, 'raw-to');
  if (rawTo !== undefined && rawTo !== 'minio' && rawTo !== 'local') {
    throw new UsageError(`--raw-to must be minio or local (got '${rawTo}')`);
  }
  const bucket = stringOption(line, 'bucket');
  const localRoot = stringOption(line, 'local-root');
  const flatten = line.options.flatten === true;
  return {
    ...(config !== undefined || fromName !== undefined
      ? {
          config: {
            ...(config === undefined ? {} : { file: config }),
            ...(fromName === undefined ? {} : { fromName }),
            ...(flatten ? { flatten } : {}),
          },
        }
      : {}),
    ...(metrics === undefined
      ? {}
      : { metrics: { file: metrics, ...(xAxis === undefined ? {} : { xAxis }) } }),
    ...(results === undefined ? {} : { results: { file: results } }),
    artifacts: list(line, 'artifact'),
    rawData: list(line, 'raw-data'),
    ...(rawTo === undefined ? {} : { rawTo }),
    ...(bucket === undefined ? {} : { bucket }),
    ...(localRoot === undefined ? {} : { localRoot: resolve(localRoot) }),
  };
}
