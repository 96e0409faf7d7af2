// The "Send runs…" wizard's logic (renderer/src/model/send-*.ts): the mapping form turned into
// the contract's mapping, the folders a native picker hands over, which folders a send writes
// and what the Send button says, and the progress built from sendProgress events.
import { describe, expect, it } from 'vitest';
import type { SendPreviewFolder, SendProgress } from '../../shared/contract/send-methods';
import {
  checkSummary,
  folderVerdicts,
  sendButtonLabel,
  sendSelection,
} from '../../renderer/src/model/send-check';
import { baseName, childPath, pickedFolderOf } from '../../renderer/src/model/send-folder-paths';
import {
  emptyMappingForm,
  globOfPath,
  mappingOfForm,
  roleOfFile,
  typedGlobs,
  withFileRole,
} from '../../renderer/src/model/send-mapping-form';
import {
  metricColumnNames,
  toggledMetricColumn,
} from '../../renderer/src/model/send-metric-columns';
import {
  applySendProgress,
  initialSendProgress,
  sendFraction,
} from '../../renderer/src/model/send-progress-state';

describe('the mapping form', () => {
  it('gives the mapping the CLI would get from the same choices', () => {
    let form = withFileRole(emptyMappingForm, 'config.yaml', 'config');
    form = withFileRole(form, 'metrics.csv', 'metrics');
    form = withFileRole(form, 'plot.png', 'artifact');
    form = withFileRole(form, 'video.mp4', 'raw');
    form = { ...form, xAxis: 'time', flatten: true, artifactGlobs: '*.pdf, plots/*.svg\n*.pdf' };
    form = { ...form, rawTo: 'minio', bucket: ' raw ' };
    expect(mappingOfForm(form)).toEqual({
      error: null,
      mapping: {
        config: { file: 'config.yaml', flatten: true },
        metrics: { file: 'metrics.csv', xAxis: 'time' },
        artifacts: ['plot.png', '*.pdf', 'plots/*.svg'],
        rawData: ['video.mp4'],
        rawTo: 'minio',
        bucket: 'raw',
      },
    });
  });

  it('refuses raw data to MinIO without a bucket, and a mapping of nothing', () => {
    const raw = withFileRole(emptyMappingForm, 'video.mp4', 'raw');
    expect(mappingOfForm({ ...raw, rawTo: 'minio' }).error).toMatch(/bucket/u);
    expect(mappingOfForm({ ...raw, rawTo: 'local' }).mapping).toEqual({
      rawData: ['video.mp4'],
      rawTo: 'local',
    });
    expect(mappingOfForm(emptyMappingForm).error).toMatch(/at least one file/u);
  });

  it('a file has one role: giving it another takes the old one away', () => {
    let form = withFileRole(emptyMappingForm, 'a.csv', 'metrics');
    form = { ...form, xAxis: 'time', metricColumns: ['speed'] };
    form = withFileRole(form, 'a.csv', 'artifact');
    expect(roleOfFile(form, 'a.csv')).toBe('artifact');
    expect(form.metricsFile).toBe('');
    // The columns chosen for that table do not carry over to another metrics file.
    form = withFileRole(withFileRole(form, 'b.csv', 'metrics'), 'b.csv', 'metrics');
    expect(form).toMatchObject({ metricsFile: 'b.csv', xAxis: '', metricColumns: [] });
    expect(roleOfFile(form, 'a.csv')).toBe('artifact');
    expect(roleOfFile(withFileRole(form, 'a.csv', 'none'), 'a.csv')).toBe('none');
  });

  it('an exact file name with glob characters matches only itself', () => {
    expect(globOfPath('run[1] (copy).png')).toBe('run\\[1\\] \\(copy\\).png');
    expect(globOfPath('videos/cam.mp4')).toBe('videos/cam.mp4');
    expect(typedGlobs(' *.png,, \n*.png ,x')).toEqual(['*.png', 'x']);
  });

  it('metric columns: the header names them, ticking all returns to "all", the last stays', () => {
    const table = [
      ['time', 'speed', 'licks'],
      [0, 1, 2],
    ];
    const columns = metricColumnNames(table, true);
    expect(columns).toEqual(['time', 'speed', 'licks']);
    expect(metricColumnNames(table, false)).toEqual(['0', '1', '2']);
    const one = toggledMetricColumn(columns, 'time', [], 'licks');
    expect(one).toEqual(['speed']);
    expect(toggledMetricColumn(columns, 'time', one, 'speed')).toEqual(['speed']);
    expect(toggledMetricColumn(columns, 'time', one, 'licks')).toEqual([]);
  });
});

describe('folder paths', () => {
  it('finds the folder a native folder picker chose from one of its files', () => {
    expect(pickedFolderOf('/home/me/lab/2023_a/metrics.csv', 'lab/2023_a/metrics.csv')).toBe(
      '/home/me/lab',
    );
    expect(pickedFolderOf('C:\\data\\lab\\m.csv', 'lab/m.csv')).toBe('C:\\data\\lab');
    expect(pickedFolderOf('', 'lab/m.csv')).toBeNull();
  });

  it('joins and names folders with the separator the path uses', () => {
    expect(childPath('/lab', 'a')).toBe('/lab/a');
    expect(childPath('/', 'a')).toBe('/a');
    expect(childPath('C:\\lab', 'a')).toBe('C:\\lab\\a');
    expect(baseName('/lab/2023_a/')).toBe('2023_a');
  });
});

function preview(name: string, extra: Partial<SendPreviewFolder> = {}): SendPreviewFolder {
  return {
    folder: `/lab/${name}`,
    name,
    prefix: 'ABCDEFG-20230417T181300',
    files: [{ role: 'metrics', path: 'metrics.csv', storedName: null, size: 10 }],
    problems: [],
    duplicateOf: null,
    document: {},
    ...extra,
  };
}

describe('the check step', () => {
  it('holds back a folder with problems and one sent before unless sent again', () => {
    const previews = [
      preview('good'),
      preview('bad', { problems: ['metrics.csv: row 2 of column "speed" is not a number'] }),
      preview('old', { duplicateOf: '7' }),
    ];
    const verdicts = folderVerdicts(previews, new Map());
    expect(verdicts.map((v) => [v.name, v.kind, v.send])).toEqual([
      ['good', 'ready', true],
      ['bad', 'problems', false],
      ['old', 'sent-before', false],
    ]);
    expect(sendSelection(verdicts)).toEqual({ folders: ['/lab/good'], again: false });
    expect(checkSummary(verdicts)).toMatch(/1 folder has problems.*1 folder was sent before/u);

    const again = folderVerdicts(previews, new Map([['/lab/old', 'again']]));
    expect(sendSelection(again)).toEqual({ folders: ['/lab/good', '/lab/old'], again: true });
    expect(sendButtonLabel(sendSelection(again).folders.length)).toBe('Send 2 runs');
    expect(sendButtonLabel(1)).toBe('Send 1 run');
    expect(sendButtonLabel(0)).toBe('Nothing to send');
    expect(checkSummary(folderVerdicts([preview('good')], new Map()))).toBe(
      'Every folder is ready.',
    );
  });
});

describe('send progress', () => {
  const event = (extra: Partial<SendProgress>): SendProgress => ({
    operationId: 'op',
    phase: 'uploading',
    folder: '/lab/a',
    file: null,
    bytes: 0,
    totalBytes: 0,
    foldersDone: 0,
    foldersTotal: 2,
    ...extra,
  });

  it('follows each folder and file, and the whole send', () => {
    let state = initialSendProgress(['/lab/a', '/lab/b']);
    expect(sendFraction(state)).toBe(0);
    state = applySendProgress(state, event({ file: 'video.mp4', bytes: 50, totalBytes: 100 }));
    expect(state.folders[0]).toMatchObject({
      state: 'sending',
      files: [{ file: 'video.mp4', bytes: 50 }],
    });
    expect(sendFraction(state)).toBeCloseTo(0.25);
    state = applySendProgress(state, event({ file: 'video.mp4', bytes: 100, totalBytes: 100 }));
    expect(state.folders[0]?.files).toHaveLength(1);
    state = applySendProgress(state, event({ phase: 'folder-done', foldersDone: 1 }));
    expect(state.folders.map((f) => f.state)).toEqual(['done', 'waiting']);
    expect(sendFraction(state)).toBeCloseTo(0.5);
    state = applySendProgress(state, event({ phase: 'cancelled', folder: null, foldersDone: 1 }));
    expect(state.phase).toBe('cancelled');
    expect(sendFraction(state)).toBeCloseTo(0.5);
  });
});
