import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/contract';
import { artifactKind, tableDelimiter } from '../../renderer/src/model/artifact-kind';
import {
  columnValues,
  numericColumns,
  parseCsvTable,
  sortRows,
} from '../../renderer/src/model/csv-table';
import { GALLERY_MAX_RUNS, galleryItems } from '../../renderer/src/model/gallery-items';

describe('artifactKind', () => {
  it('picks the preview from the extension, whatever its case', () => {
    for (const name of ['a.png', 'b.JPG', 'c.jpeg', 'd.gif', 'e.webp', 'f.svg', 'g.bmp']) {
      expect(artifactKind(name), name).toBe('image');
    }
    for (const name of ['log.txt', 'cfg.yaml', 'x.yml', 'r.json', 'train.log', 'model.py']) {
      expect(artifactKind(name), name).toBe('text');
    }
    expect(artifactKind('table.csv')).toBe('table');
    expect(artifactKind('table.TSV')).toBe('table');
    expect(artifactKind('clip.mp4')).toBe('video');
    expect(artifactKind('clip.webm')).toBe('video');
    expect(artifactKind('sound.wav')).toBe('audio');
    expect(artifactKind('paper.pdf')).toBe('pdf');
    expect(artifactKind('report.html')).toBe('html');
    expect(artifactKind('weights.pt')).toBe('other');
  });

  it('falls back to the content type only when the extension says nothing', () => {
    expect(artifactKind('plot', 'image/png')).toBe('image');
    expect(artifactKind('page', 'text/html; charset=utf-8')).toBe('html');
    expect(artifactKind('doc', 'application/pdf')).toBe('pdf');
    expect(artifactKind('rows', 'text/csv')).toBe('table');
    expect(artifactKind('blob', 'application/octet-stream')).toBe('other');
    expect(artifactKind('blob', null)).toBe('other');
    // A .txt served as HTML is still previewed as text, never rendered.
    expect(artifactKind('notes.txt', 'text/html')).toBe('text');
    // No extension and a directory with a dot: not an extension.
    expect(artifactKind('dir.v2/file')).toBe('other');
  });

  it('reads TSV with tabs and CSV with commas', () => {
    expect(tableDelimiter('a.tsv')).toBe('\t');
    expect(tableDelimiter('a.csv')).toBe(',');
    expect(tableDelimiter('a', 'text/tab-separated-values')).toBe('\t');
  });
});

describe('parseCsvTable', () => {
  it('splits the header from the rows and honours quotes', () => {
    const table = parseCsvTable('step,loss,name\n1,0.5,"a, b"\n2,0.25,c\n', ',');
    expect(table.header).toEqual(['step', 'loss', 'name']);
    expect(table.rows).toEqual([
      ['1', '0.5', 'a, b'],
      ['2', '0.25', 'c'],
    ]);
    expect(table.truncated).toBe(false);
  });

  it('caps the rows and says so', () => {
    const text = ['n', ...Array.from({ length: 30 }, (_, i) => String(i))].join('\n');
    const table = parseCsvTable(text, ',', { maxRows: 10 });
    expect(table.rows).toHaveLength(10);
    expect(table.rows[9]).toEqual(['9']);
    expect(table.truncated).toBe(true);
  });

  it('drops the partial last line of a text cut by the byte cap', () => {
    const table = parseCsvTable('a\tb\n1\t2\n3\t4\n5\t', '\t', { cut: true });
    expect(table.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(table.truncated).toBe(true);
  });

  it('names missing header cells and keeps ragged rows', () => {
    const table = parseCsvTable('x\n1,2\n', ',');
    expect(table.header).toEqual(['x', 'column 2']);
    expect(table.rows).toEqual([['1', '2']]);
    expect(table.errors).toEqual([]);
  });

  it('gives an empty table for an empty file', () => {
    expect(parseCsvTable('', ',')).toMatchObject({ header: [], rows: [], truncated: false });
  });
});

describe('sortRows and numeric columns', () => {
  const rows = [
    ['a', '10', ''],
    ['b', '9', 'x'],
    ['c', '', 'y'],
    ['d', '100', 'z'],
  ];

  it('sorts numbers numerically and keeps blanks last both ways', () => {
    expect(sortRows(rows, 1, false).map((r) => r[0])).toEqual(['b', 'a', 'd', 'c']);
    expect(sortRows(rows, 1, true).map((r) => r[0])).toEqual(['d', 'a', 'b', 'c']);
    expect(sortRows(rows, 2, true).map((r) => r[0])).toEqual(['d', 'c', 'b', 'a']);
    // The input is not reordered.
    expect(rows[0]?.[0]).toBe('a');
  });

  it('offers only columns whose cells are numbers for the plot', () => {
    expect(numericColumns({ header: ['name', 'value', 'tag'], rows })).toEqual([1]);
    expect(columnValues(rows, 1)).toEqual([10, 9, Number.NaN, 100]);
  });
});

describe('galleryItems', () => {
  const run = (id: string, names: string[]): RunSummary =>
    ({
      id,
      source: 's',
      artifacts: names.map((name) => ({ name, id: `${id}/${name}`, size: 1, contentType: null })),
    }) as unknown as RunSummary;

  it('lists runs with that exact name, the current run first, at most 24', () => {
    const runs = [run('1', ['plot.png']), run('2', ['other.png']), run('3', ['plot.png'])];
    expect(galleryItems(runs, 'plot.png', '3').map((item) => item.run.id)).toEqual(['3', '1']);
    const many = Array.from({ length: 40 }, (_, i) => run(String(i), ['plot.png']));
    expect(galleryItems(many, 'plot.png', '0')).toHaveLength(GALLERY_MAX_RUNS);
  });
});
