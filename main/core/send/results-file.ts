import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { JsonObject } from '../../../shared/contract';
import { mappingOf, pairsOf, parseStructured } from './config-file';
import { BadInputFile, readTableFile } from './table-file';

/** Results: a JSON mapping, or a two-column CSV/xlsx without a header (key, value a row). */
export async function readResultsFile(path: string, shownName: string): Promise<JsonObject> {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') {
    return mappingOf(parseStructured(await readFile(path, 'utf8'), '.json', shownName), shownName);
  }
  if (extension === '.csv' || extension === '.xlsx' || extension === '.xlsm') {
    return pairsOf(await readTableFile(path, shownName), shownName);
  }
  throw new BadInputFile(shownName, 'results must be a .json, .csv or .xlsx file');
}
