import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import { runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

// The CLI's CSV and the run table's export are one CSV logic: same quoting, same cells
// (missing empty, lists and objects as JSON, NaN/Infinity as Sacred wrote them), same line
// ends. Checked on a run whose values are the hard cases.
let ws: Workspace;
const cli = (...args: string[]) => runCli(['--data-dir', ws.dataDir, ...args]);

/** Sacred's config.json is Python's json: NaN and Infinity are written bare. */
const trickyConfig = `{
  "text": "a, \\"quoted\\"\\nsecond line",
  "unicode": "réseau – 日本語 🙂",
  "list": [1, "two, three", null],
  "nested": {"a": {"b": [1, 2]}, "q": "say \\"hi\\""},
  "nan": NaN,
  "inf": Infinity,
  "ninf": -Infinity,
  "nested_nan": {"x": NaN, "y": Infinity},
  "lead": " padded ",
  "flag": true,
  "none": null,
  "small": 1e-7,
  "seed": 1
}`;
const comment = 'line one\nline "two", ok – ü';

const columns = [
  'source',
  'id',
  'status',
  'experiment',
  'start_time',
  'host',
  'result',
  'comment',
  'tags',
  'config.text',
  'config.unicode',
  'config.list',
  'config.nested',
  'config.nan',
  'config.inf',
  'config.ninf',
  'config.nested_nan',
  'config.lead',
  'config.flag',
  'config.none',
  'config.small',
  'config.absent',
];

beforeAll(async () => {
  ws = workspace();
  const folder = ws.copyFixture('filestorage_completed');
  writeFileSync(join(folder, '1', 'config.json'), trickyConfig);
  const runJson = join(folder, '1', 'run.json');
  // The fixture's run.json holds NaN and Infinity too: edit it as text. Its result object
  // ends at the first "}" indented like its key.
  const text = readFileSync(runJson, 'utf8')
    .replace(/"comment": "[^"\n]*"/u, `"comment": ${JSON.stringify(comment)}`)
    .replace(/"result": \{[\s\S]*?\n {2}\}/u, '"result": {"acc": NaN, "tags": ["a,b", "c"]}');
  expect(text).toContain('"acc": NaN');
  writeFileSync(runJson, text);
  expect((await cli('sources', 'add', 'lab', '--folder', folder)).code).toBe(0);
  expect((await cli('sync')).code).toBe(0);
});
afterAll(() => ws.remove());

async function coreExport(where: string, cols: string[]): Promise<string> {
  const core = createAltarCore({ dataDir: ws.dataDir, door: 'direct' });
  try {
    const exported = await core.exportRuns({ where, columns: cols, format: 'csv' });
    return exported.text ?? '';
  } finally {
    await core.close();
  }
}

function parse(text: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('runs --format csv writes the run table export', () => {
  it('gives for --columns exactly the text the core exports, hard cells included', async () => {
    const where = 'id = "1"';
    const result = await cli(
      'runs',
      '--where',
      where,
      '--columns',
      columns.join(','),
      '--format',
      'csv',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await coreExport(where, columns));

    // RFC 4180 line ends; the newlines inside quoted cells are the values' own.
    expect(result.stdout.startsWith(`${columns.join(',')}\r\n`)).toBe(true);
    expect(result.stdout.endsWith('\r\n')).toBe(true);
    const [row] = parse(result.stdout);
    expect(row).toEqual({
      source: 'lab',
      id: '1',
      status: 'COMPLETED',
      experiment: 'demo_exp',
      start_time: '2026-11-26T21:32:02.430Z',
      host: 'vm',
      result: '{"acc":"NaN","tags":["a,b","c"]}',
      comment,
      tags: '[]',
      'config.text': 'a, "quoted"\nsecond line',
      'config.unicode': 'réseau – 日本語 🙂',
      'config.list': '[1,"two, three",null]',
      'config.nested': '{"a":{"b":[1,2]},"q":"say \\"hi\\""}',
      'config.nan': 'NaN',
      'config.inf': 'Infinity',
      'config.ninf': '-Infinity',
      'config.nested_nan': '{"x":"NaN","y":"Infinity"}',
      'config.lead': ' padded ',
      'config.flag': 'true',
      'config.none': '',
      'config.small': '1e-7',
      'config.absent': '',
    });
  });

  it('writes the plain run list with the same cells and line ends as the core export', async () => {
    const result = await cli('runs', '--format', 'csv');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\r\n')[0]).toBe(
      'source,id,status,experiment,command,start_time,stop_time,heartbeat,host,result,comment,tags,config,metric_count,artifact_count,probably_dead,unreadable',
    );
    expect(result.stdout.endsWith('\r\n')).toBe(true);
    const plain = parse(result.stdout).find((row) => row.id === '1');
    expect(plain).toBeDefined();

    const shared = [
      'source',
      'id',
      'status',
      'experiment',
      'command',
      'start_time',
      'stop_time',
      'heartbeat',
      'host',
      'result',
      'comment',
      'tags',
    ];
    const [exported] = parse(await coreExport('id = "1"', shared));
    for (const column of shared)
      expect([column, plain?.[column]]).toEqual([column, exported?.[column]]);

    // The whole config is one JSON cell, its NaN/Infinity as the strings the export shows.
    const config = JSON.parse(plain?.config ?? '') as Record<string, unknown>;
    expect(config).toMatchObject({
      text: 'a, "quoted"\nsecond line',
      unicode: 'réseau – 日本語 🙂',
      list: [1, 'two, three', null],
      nested: { a: { b: [1, 2] }, q: 'say "hi"' },
      nan: 'NaN',
      inf: 'Infinity',
      ninf: '-Infinity',
      nested_nan: { x: 'NaN', y: 'Infinity' },
      none: null,
    });
    expect(plain?.metric_count).toBe('2');
    expect(plain?.probably_dead).toBe('false');
    expect(plain?.unreadable).toBe('');
  });
});
