import { open, opendir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { MethodArgs, MethodResult } from '../../../shared/contract';
import {
  PREVIEW_TABLE_ROWS,
  PREVIEW_TEXT_CHARS,
} from '../../../shared/contract/send-files-preview-limits';
import type { SendFilePreview } from '../../../shared/contract/send-files-methods';
import { AltarError } from '../../../shared/errors';
import { cellJson, readConfigFile } from '../send/config-file';
import { listFolderFiles } from '../send/folder-files';
import { metricsOfRows } from '../send/metrics-file';
import { readResultsFile } from '../send/results-file';
import type { Cell } from '../send/table-file';
import { BadInputFile, isTableFile, readTableFile } from '../send/table-file';

export interface SendFilesServiceDeps {
  hasSource(name: string): boolean;
  /** Throws READ_ONLY unless writes of the source are on (main/core/writes/source-writes.ts). */
  assertWritable(source: string): void;
}

export const SEND_FILES_METHODS = ['listSendFolder', 'previewSendFile'] as const;
type Methods = (typeof SEND_FILES_METHODS)[number];
export type SendFilesService = {
  [M in Methods]: (args: MethodArgs<M>) => Promise<MethodResult<M>>;
};

/** Bytes read to tell a text file from a binary one (a NUL byte) and to show its start. */
const TEXT_PROBE_BYTES = PREVIEW_TEXT_CHARS * 4;

/**
 * Lets the "Send runs…" wizard see folders on the core's computer (issue 16): their sub-folders
 * to tick, the first folder's files to map, and each mapped file read as the send will read it
 * (main/core/send/), so a bad file shows while mapping rather than at the send. Like previewSend,
 * it answers only for a source where writes are on: reading the user's folders is part of a send.
 */
export function createSendFilesService(deps: SendFilesServiceDeps): SendFilesService {
  const allow = (source: string): void => {
    if (!deps.hasSource(source)) {
      throw new AltarError('NOT_FOUND', `There is no source named "${source}".`);
    }
    deps.assertWritable(source);
  };

  return {
    async listSendFolder({ source, path, recursive }) {
      allow(source);
      const folder = absoluteFolder(path);
      await requireFolder(folder);
      const folders: string[] = [];
      const direct: string[] = [];
      for await (const entry of await opendir(folder)) {
        if (entry.isDirectory()) folders.push(entry.name);
        else if (entry.isFile()) direct.push(entry.name);
      }
      let names = direct.sort();
      let truncated = false;
      if (recursive === true) {
        try {
          names = await listFolderFiles(folder);
        } catch (error) {
          if (!(error instanceof BadInputFile)) throw error;
          // Far too many files for a lab folder: its own files only, and say so.
          truncated = true;
        }
      }
      const files = await Promise.all(
        names.map(async (name) => ({
          path: name,
          size: await stat(join(folder, name)).then(
            (info) => info.size,
            () => 0,
          ),
        })),
      );
      const parent = dirname(folder);
      return {
        path: folder,
        parent: parent === folder ? null : parent,
        folders: folders.sort(),
        files,
        truncated,
      };
    },

    async previewSendFile(args) {
      allow(args.source);
      const folder = absoluteFolder(args.folder);
      const path = resolve(folder, args.file);
      const inside = relative(folder, path);
      if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
        throw new AltarError('INVALID_ARGUMENT', `${args.file} is not a file inside ${folder}.`);
      }
      const info = await stat(path).catch(() => null);
      if (info === null || !info.isFile()) {
        throw new AltarError('NOT_FOUND', `${args.file} is not a file in ${folder}.`);
      }
      const preview: SendFilePreview = {
        size: info.size,
        table: null,
        tableRows: null,
        parsed: null,
        text: await textStart(path),
        problem: null,
      };
      try {
        let rows: Cell[][] | null = null;
        if (isTableFile(path)) {
          rows = await readTableFile(path, args.file, { separator: args.separator });
          preview.tableRows = rows.length;
          preview.table = rows.slice(0, PREVIEW_TABLE_ROWS).map((row) => row.map(shownCell));
        }
        if (args.role === 'config') {
          preview.parsed = await readConfigFile(path, args.file, {
            separator: args.separator,
            header: args.header,
            flatten: args.flatten,
          });
        } else if (args.role === 'results') {
          preview.parsed = await readResultsFile(path, args.file);
        } else if (args.role === 'metrics') {
          if (rows === null)
            throw new BadInputFile(args.file, 'is not a .csv, .xlsx or .xlsm file');
          // Every column read as the send will: a text cell in a metric column is found now.
          metricsOfRows(rows, args.file, { header: args.header });
        }
      } catch (error) {
        if (!(error instanceof BadInputFile)) throw error;
        preview.problem = error.message;
      }
      return preview;
    },
  };
}

function absoluteFolder(path: string): string {
  if (!isAbsolute(path)) {
    throw new AltarError('INVALID_ARGUMENT', `A folder must be an absolute path: ${path}`);
  }
  return resolve(path);
}

async function requireFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new AltarError('NOT_FOUND', `${folder} is not a folder.`);
  }
}

/** A cell as JSON carries it: NaN and infinities as text, as in the run document. */
function shownCell(cell: Cell): string | number | boolean | null {
  return typeof cell === 'number' && !Number.isFinite(cell) ? String(cellJson(cell)) : cell;
}

/** The start of a text file; null when the file looks binary (a NUL byte, as git decides). */
async function textStart(path: string): Promise<string | null> {
  const extension = extname(path).toLowerCase();
  if (extension === '.xlsx' || extension === '.xlsm') return null;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(TEXT_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, TEXT_PROBE_BYTES, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.includes(0)) return null;
    return bytes.toString('utf8').slice(0, PREVIEW_TEXT_CHARS);
  } finally {
    await handle.close();
  }
}
