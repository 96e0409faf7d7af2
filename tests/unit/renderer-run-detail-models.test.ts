import { describe, expect, it } from 'vitest';
import { acquisitionTime, dataFileRows } from '../../renderer/src/model/data-files';
import { deadExplanation, spokenDuration } from '../../renderer/src/model/dead-explanation';
import { OutputHtmlStream, findMatches } from '../../renderer/src/model/output-stream';
import { displayKey, formatPath, treeRows } from '../../renderer/src/model/tree-rows';

const open = { query: '', isExpanded: () => true, shownChildren: () => 200 };

describe('treeRows', () => {
  const config = {
    lr: 0.1,
    optimizer: { name: 'adam', betas: [0.9, 0.999] },
    when: {
      'py/object': 'datetime.datetime',
      __reduce__: [
        { 'py/type': 'datetime.datetime' },
        [btoa('\x07\xe8\x01\x02\x00\x00\x00\x00\x00\x00')],
      ],
    },
    'json://1': 'intkey',
    'a,b': 'escaped by the Mongo fixer',
  };

  it('lists every node depth first with readable, pasteable paths', () => {
    const rows = treeRows(config, open);
    expect(rows.map((r) => r.id)).toEqual([
      'lr',
      'optimizer',
      'optimizer.name',
      'optimizer.betas',
      'optimizer.betas[0]',
      'optimizer.betas[1]',
      'when',
      '["json://1"]',
      '["a,b"]',
    ]);
    expect(rows.find((r) => r.id === '["json://1"]')?.label).toBe('1');
  });

  it('shows jsonpickle nodes decoded, as one leaf, raw value kept for copying', () => {
    const when = treeRows(config, open).find((r) => r.id === 'when')!;
    expect(when.kind).toBe('decoded');
    expect(when.description).toBe('datetime 2024-01-02 00:00:00');
    expect(when.value).toBe(config.when);
  });

  it('hides the content of closed containers', () => {
    const rows = treeRows(config, { ...open, isExpanded: () => false });
    expect(rows.map((r) => r.id)).toEqual(['lr', 'optimizer', 'when', '["json://1"]', '["a,b"]']);
    expect(rows.find((r) => r.id === 'optimizer')).toMatchObject({ expanded: false, size: 2 });
  });

  it('searches paths and values and opens the way to matches', () => {
    const rows = treeRows(config, { ...open, query: '0.999', isExpanded: () => false });
    expect(rows.map((r) => r.id)).toEqual(['optimizer', 'optimizer.betas', 'optimizer.betas[1]']);
    expect(rows.at(-1)?.matched).toBe(true);
    const byPath = treeRows(config, { ...open, query: 'optimizer.name' });
    expect(byPath.map((r) => r.id)).toEqual(['optimizer', 'optimizer.name']);
    expect(treeRows(config, { ...open, query: 'datetime 2024' }).map((r) => r.id)).toEqual([
      'when',
    ]);
    expect(treeRows(config, { ...open, query: 'nothing like this' })).toEqual([]);
  });

  it('pages long containers with a "more" row', () => {
    const rows = treeRows(
      { xs: Array.from({ length: 500 }, (_, i) => i) },
      {
        ...open,
        shownChildren: () => 200,
      },
    );
    expect(rows).toHaveLength(1 + 200 + 1);
    expect(rows.at(-1)).toMatchObject({ kind: 'more', hidden: 300 });
  });

  it('shows a bare top-level value as one row', () => {
    expect(treeRows(0.93, open)).toMatchObject([{ kind: 'value', value: 0.93 }]);
  });

  it('formats paths and stored keys for display', () => {
    expect(formatPath(['a', 0, 'b c', 'd'])).toBe('a[0]["b c"].d');
    expect(displayKey('json://null')).toBe('None');
    expect(displayKey('plain')).toBe('plain');
  });
});

describe('deadExplanation', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const run = {
    status: 'RUNNING',
    probablyDead: true,
    heartbeat: '2024-05-01T08:48:00Z',
    start_time: '2024-05-01T08:00:00Z',
    meta: { options: { '--beat-interval': '10' } },
  };

  it('explains the rule with its numbers', () => {
    expect(deadExplanation(run, now)).toBe(
      'RUNNING but no heartbeat for 3 h 12 min (limit: 2 min = max(120 s, 6 × beat interval 10 s))',
    );
  });

  it('uses the run’s own beat interval', () => {
    const slow = { ...run, meta: { options: { '--beat-interval': '60' } } };
    expect(deadExplanation(slow, now)).toContain(
      'limit: 6 min = max(120 s, 6 × beat interval 60 s)',
    );
  });

  it('says when no heartbeat ever came, and says nothing for live runs', () => {
    expect(deadExplanation({ ...run, heartbeat: null }, now)).toContain(
      'no heartbeat since it started 4 h ago',
    );
    expect(deadExplanation({ ...run, probablyDead: false }, now)).toBeNull();
  });

  it('speaks durations without leading zeros', () => {
    expect(spokenDuration(45_000)).toBe('45 s');
    expect(spokenDuration(90_000)).toBe('1 min 30 s');
    expect(spokenDuration(3 * 86_400_000 + 3_600_000)).toBe('3 d 1 h');
  });
});

describe('dataFileRows', () => {
  it('reads artifacts, MinIO and local raw data of an Altar upload', () => {
    const rows = dataFileRows({
      dataFiles: {
        artifacts: { plot: 'BBTPRXK-20230417T181300-plot.png' },
        raw_data: {
          minio: {
            video: {
              type: 'video',
              fileName: 'BBTPRXK-20230417T181300-video.tiff',
              size: '12.30 Mo',
              bucket: 'lab',
              minio_folder: 'exp1',
            },
          },
          local: {
            trace: { type: 'csv', fileName: 'trace.csv', size: '3 Ko', local_path: 'D:\\data' },
          },
        },
      },
    });
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'artifact', stem: 'plot', acquired: '2023-04-17 18:13:00' }),
      expect.objectContaining({ kind: 'minio', size: '12.30 Mo', location: 'lab/exp1' }),
      expect.objectContaining({ kind: 'local', location: 'D:\\data', acquired: null }),
    ]);
  });

  it('is null without dataFiles and skips malformed entries', () => {
    expect(dataFileRows({})).toBeNull();
    expect(dataFileRows({ dataFiles: { artifacts: { a: 3, b: null }, raw_data: 'x' } })).toEqual([
      expect.objectContaining({ fileName: '3' }),
    ]);
    expect(acquisitionTime('no-timestamp.txt')).toBeNull();
  });
});

describe('OutputHtmlStream and findMatches', () => {
  it('finalises complete lines and redraws the open one', () => {
    const stream = new OutputHtmlStream();
    const first = stream.append('epoch 1\nprogress 10%');
    expect(first.completedHtml).toBe('epoch 1\n');
    expect(first.openHtml).toBe('progress 10%');
    const next = stream.append('\rprogress 100%\n');
    expect(next.completedHtml).toBe('progress 100%\n');
    expect(next.openHtml).toBe('');
  });

  it('keeps a colour across appended pieces and escapes markup', () => {
    const stream = new OutputHtmlStream();
    stream.append('\x1b[31mred\n');
    const next = stream.append('still red <b>\n');
    expect(next.completedHtml).toContain('color:#A00');
    expect(next.completedHtml).toContain('&lt;b&gt;');
  });

  it('finds every case-insensitive match, up to a limit', () => {
    expect(findMatches('Loss loss LOSS', 'loss')).toEqual([
      [0, 4],
      [5, 9],
      [10, 14],
    ]);
    expect(findMatches('aaaa', 'aa')).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(findMatches('abc', '')).toEqual([]);
    expect(findMatches('x'.repeat(100), 'x', 7)).toHaveLength(7);
  });
});
