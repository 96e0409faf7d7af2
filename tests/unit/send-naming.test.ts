// Sending runs (issue 16): the names, times, sizes and input readers the old AltarSender's
// documents are made of, checked against ../shared/ALTAR_TOOLS.md §1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake2b } from '@noble/hashes/blake2.js';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromName } from '../../main/core/send/config-from-name';
import { flattenObject, readConfigFile } from '../../main/core/send/config-file';
import { crockfordBase32, hash7 } from '../../main/core/send/crockford-hash';
import { timeFromFolderName } from '../../main/core/send/folder-time';
import { frenchSize } from '../../main/core/send/french-size';
import { metricsOfRows, readMetricsFile } from '../../main/core/send/metrics-file';
import { readResultsFile } from '../../main/core/send/results-file';
import { stemOf, storedPrefix } from '../../main/core/send/stored-name';
import { BadInputFile, readCsv } from '../../main/core/send/table-file';

const dir = mkdtempSync(join(tmpdir(), 'altar-send-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('stored names', () => {
  it('gives the documented example: 2023-04-17_18_13_Experiment1 → BBTPRXK-20230417T181300', () => {
    expect(hash7('2023-04-17_18_13_Experiment1')).toBe('BBTPRXK');
    expect(storedPrefix('2023-04-17_18_13_Experiment1', new Date())).toBe(
      'BBTPRXK-20230417T181300',
    );
  });

  it('writes Crockford base32 most significant digit first, without I, L, O or U', () => {
    expect(crockfordBase32(Uint8Array.from([0, 31]))).toBe('Z');
    expect(crockfordBase32(Uint8Array.from([1, 0]))).toBe('80');
    expect(crockfordBase32(Uint8Array.from([0x4a, 0x5b]))).toBe('JJV');
    expect(hash7('another folder')).toMatch(/^[0-9A-HJKMNP-TV-Z]{7}$/u);
    expect(hash7('another folder')).not.toBe(hash7('another folder '));
  });

  it('drops leading zero digits as the old sender’s hash.py does (no padding to 13 digits)', () => {
    // hash.py: int.from_bytes(digest, 'big'), digits taken while n > 0, reversed, then [:7]:
    // a digest whose first 4 bits are 0 has 12 digits, not 13, and its HASH7 starts one digit
    // further on. Found by brute force; the expected values were computed with Python's
    // hashlib.blake2b(name.encode(), digest_size=8) and hash.py's _to_base32_crockford.
    const zeroNibble = Array.from({ length: 1000 }, (_v, i) => `2024-01-02_03_04_mouse${i}`).find(
      (name) => (blake2b(new TextEncoder().encode(name), { dkLen: 8 })[0] ?? 255) >> 4 === 0,
    );
    expect(zeroNibble).toBe('2024-01-02_03_04_mouse8');
    const digest = blake2b(new TextEncoder().encode('2024-01-02_03_04_mouse8'), { dkLen: 8 });
    expect(Buffer.from(digest).toString('hex')).toBe('0cd5f3157b02fae5');
    expect(crockfordBase32(digest)).toBe('SNFK2NXG5YQ5');
    // Padded to 13 digits it would be 0SNFK2N: not what the old sender stored.
    expect(hash7('2024-01-02_03_04_mouse8')).toBe('SNFK2NX');
    // A whole zero first byte: 11 digits (padded: 00A1NSG).
    expect(hash7('2024-01-02_03_04_mouse112')).toBe('A1NSGJN');
    expect(crockfordBase32(Uint8Array.from([0, 0, 0]))).toBe('0');
  });

  it('reads the time of a folder name with the old sender’s separators, seconds optional', () => {
    expect(timeFromFolderName('2023-04-17_18_13_Experiment1')).toBe('20230417T181300');
    expect(timeFromFolderName('run 2024_01_02 at 03:04:05')).toBe('20240102T030405');
    expect(timeFromFolderName('2024/11/30-23-59-58 mouse')).toBe('20241130T235958');
    expect(timeFromFolderName('Experiment1')).toBeNull();
    expect(timeFromFolderName('20230417')).toBeNull();
  });

  it('uses the send time when the name holds none', () => {
    const sent = new Date(2025, 0, 2, 3, 4, 5);
    expect(storedPrefix('Experiment1', sent)).toBe(`${hash7('Experiment1')}-20250102T030405`);
  });

  it('keys files by the name before the first dot', () => {
    expect(stemOf('video.raw.tiff')).toBe('video');
    expect(stemOf('.hidden')).toBe('.hidden');
  });

  it('writes sizes in French units, base 1024', () => {
    expect(frenchSize(0)).toBe('0 o');
    expect(frenchSize(1023)).toBe('1023 o');
    expect(frenchSize(1024)).toBe('1.00 Ko');
    expect(frenchSize(12.3 * 1024 * 1024)).toBe('12.30 Mo');
    expect(frenchSize(3 * 1024 ** 3)).toBe('3.00 Go');
    expect(frenchSize(5000 * 1024 ** 3)).toBe('5000.00 Go');
  });
});

describe('config', () => {
  it('parses the folder name with $var$ and $var%N$, whole name only', () => {
    expect(configFromName('$date%10$_$mouse$_trial$n$', '2023-04-17_M12_trial3')).toEqual({
      date: '2023-04-17',
      mouse: 'M12',
      n: '3',
    });
    expect(configFromName('$a$_x', 'b_x_y')).toBeNull();
    expect(configFromName('$code%3$.$rest$', 'ab.cd')).toBeNull();
  });

  it('keeps every key/value row of a CSV config (the old sender kept one pair)', async () => {
    const path = file('config.csv', 'lr,0.01\nmouse,M12\nopto,true\n');
    expect(await readConfigFile(path, 'config.csv')).toEqual({
      lr: 0.01,
      mouse: 'M12',
      opto: true,
    });
  });

  it('refuses a table config with more than two columns', async () => {
    const path = file('wide.csv', 'a,1,2\n');
    await expect(readConfigFile(path, 'wide.csv')).rejects.toBeInstanceOf(BadInputFile);
  });

  it('reads YAML and flattens with "_" when asked', async () => {
    const path = file('config.yaml', 'laser:\n  power: 5\n  wavelength: 473\nmouse: M12\n');
    expect(await readConfigFile(path, 'config.yaml', { flatten: true })).toEqual({
      laser_power: 5,
      laser_wavelength: 473,
      mouse: 'M12',
    });
    expect(flattenObject({ a: { b: { c: 1 } }, d: [1] })).toEqual({ a_b_c: 1, d: [1] });
  });

  it('refuses a YAML list and broken JSON with the file named', async () => {
    await expect(readConfigFile(file('list.yaml', '- 1\n- 2\n'), 'list.yaml')).rejects.toThrow(
      /list\.yaml: must hold a mapping/u,
    );
    await expect(readConfigFile(file('bad.json', '{"a": '), 'bad.json')).rejects.toThrow(
      /bad\.json: is not valid JSON/u,
    );
  });
});

describe('metrics', () => {
  it('keeps series of unequal length and steps from the x-axis column', async () => {
    const path = file('metrics.csv', 'time,speed,licks\n0.5,1.5,3\n1.0,2.5,\n1.5,3.5,\n');
    expect(await readMetricsFile(path, 'metrics.csv', { xAxis: 'time' })).toEqual([
      { name: 'speed', steps: [0.5, 1, 1.5], values: [1.5, 2.5, 3.5] },
      { name: 'licks', steps: [0.5], values: [3] },
    ]);
  });

  it('numbers steps 0..n-1 without an x-axis and reads semicolon tables', () => {
    const rows = readCsv('a;b\n1;4\n2;5\n', 'm.csv');
    expect(metricsOfRows(rows, 'm.csv', { columns: ['b'] })).toEqual([
      { name: 'b', steps: [0, 1], values: [4, 5] },
    ]);
  });

  it('refuses a value that is not a number, naming the row and column', async () => {
    const path = file('bad-metrics.csv', 'speed\n1\nfast\n');
    await expect(readMetricsFile(path, 'bad-metrics.csv')).rejects.toThrow(
      /bad-metrics\.csv: row 3 of column "speed" is not a number/u,
    );
  });

  it('refuses an unknown x-axis column', () => {
    expect(() => metricsOfRows([['a'], [1]], 'm.csv', { xAxis: 'time' })).toThrow(
      /has no column "time"/u,
    );
  });
});

describe('spreadsheets', () => {
  it('reads a config and a metrics table from xlsx workbooks', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const config = new ExcelJS.Workbook();
    const pairs = config.addWorksheet('config');
    pairs.addRow(['mouse', 'M12']);
    pairs.addRow(['power', 5]);
    await config.xlsx.writeFile(join(dir, 'config.xlsx'));
    expect(await readConfigFile(join(dir, 'config.xlsx'), 'config.xlsx')).toEqual({
      mouse: 'M12',
      power: 5,
    });
    const metrics = new ExcelJS.Workbook();
    const table = metrics.addWorksheet('metrics');
    table.addRow(['time', 'speed', 'licks']);
    table.addRow([0, 1.5, 3]);
    table.addRow([1, 2.5, null]);
    await metrics.xlsx.writeFile(join(dir, 'metrics.xlsx'));
    expect(await readMetricsFile(join(dir, 'metrics.xlsx'), 'm', { xAxis: 'time' })).toEqual([
      { name: 'speed', steps: [0, 1], values: [1.5, 2.5] },
      { name: 'licks', steps: [0], values: [3] },
    ]);
  });

  it('refuses a file that is not a workbook', async () => {
    await expect(readConfigFile(file('fake.xlsx', 'not a zip'), 'fake.xlsx')).rejects.toThrow(
      /fake\.xlsx: is not a readable workbook/u,
    );
  });
});

describe('results', () => {
  it('reads a two-column CSV without header and a JSON mapping', async () => {
    expect(await readResultsFile(file('results.csv', 'accuracy,0.93\nlabel,good\n'), 'r')).toEqual({
      accuracy: 0.93,
      label: 'good',
    });
    expect(await readResultsFile(file('results.json', '{"score": 2}'), 'r')).toEqual({ score: 2 });
  });
});
