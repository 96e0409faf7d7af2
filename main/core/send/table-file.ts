import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { CellValue as WorkbookValue } from 'exceljs';
import type Papa from 'papaparse';
import { packageOnFirstUse } from '../package-on-first-use';

const papaparse = packageOnFirstUse<typeof Papa>('papaparse');

/** One cell of a CSV or spreadsheet: numbers and booleans typed, empty cells null. */
export type Cell = string | number | boolean | null;

export interface TableOptions {
  /** CSV field separator; default: guessed (comma, semicolon, tab). */
  separator?: string;
}

/** A file the user pointed at that cannot be read as what it was mapped to. */
export class BadInputFile extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'BadInputFile';
  }
}

export const TABLE_EXTENSIONS = ['.csv', '.xlsx', '.xlsm'] as const;

export function isTableFile(path: string): boolean {
  return (TABLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/** The rows of a CSV file or of a workbook's first sheet, each a list of cells. */
export async function readTableFile(
  path: string,
  shownName: string,
  options: TableOptions = {},
): Promise<Cell[][]> {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return readCsv(await readFile(path, 'utf8'), shownName, options);
  if (extension === '.xlsx' || extension === '.xlsm') return readWorkbook(path, shownName);
  throw new BadInputFile(shownName, 'is not a .csv, .xlsx or .xlsm file');
}

export function readCsv(text: string, shownName: string, options: TableOptions = {}): Cell[][] {
  const parsed = papaparse().parse<string[]>(text.replace(/^\uFEFF/u, ''), {
    delimiter: options.separator ?? '',
    delimitersToGuess: [',', ';', '\t', '|'],
    skipEmptyLines: 'greedy',
  });
  // Rows shorter than the header are series of unequal length; quoting errors are not.
  const fatal = parsed.errors.find((error) => error.type === 'Quotes');
  if (fatal !== undefined) {
    throw new BadInputFile(shownName, `${fatal.message} (row ${(fatal.row ?? 0) + 1})`);
  }
  return parsed.data.map((row) => row.map(typedCell));
}

/** Text as pandas would read it: numbers, true/false, empty as missing, else the text. */
export function typedCell(text: string): Cell {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/u.test(trimmed)) return Number(trimmed);
  if (/^(nan|NaN|NAN)$/u.test(trimmed)) return Number.NaN;
  if (/^[+-]?(inf|Inf|INF|infinity|Infinity)$/u.test(trimmed)) {
    return trimmed.startsWith('-') ? -Infinity : Infinity;
  }
  if (trimmed === 'True' || trimmed === 'true' || trimmed === 'TRUE') return true;
  if (trimmed === 'False' || trimmed === 'false' || trimmed === 'FALSE') return false;
  return text;
}

async function readWorkbook(path: string, shownName: string): Promise<Cell[][]> {
  // ExcelJS is large: loaded only when a spreadsheet is sent.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new BadInputFile(
      shownName,
      `is not a readable workbook (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) return [];
  const rows: Cell[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: Cell[] = [];
    for (let column = 1; column <= row.cellCount; column++) {
      cells.push(workbookCell(row.getCell(column).value));
    }
    rows.push(cells);
  });
  return rows;
}

function workbookCell(value: WorkbookValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return typedCell(value) === null ? null : value;
  if (value instanceof Date) return value.toISOString();
  if ('result' in value) {
    const result = value.result;
    if (result === undefined || result === null) return null;
    if (typeof result === 'object' && !(result instanceof Date)) return null;
    return result instanceof Date ? result.toISOString() : result;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return String(value.text);
  return null;
}
