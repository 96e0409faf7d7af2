// The "Send runs…" wizard's logic (renderer/src/model/send-*.ts): the mapping form turned into
// the contract's mapping, folder paths, which folders a send writes (new, sent again, resumed)
// and what the Send button says, and the progress built from sendProgress events.
import { describe, expect, it } from 'vitest';
import type { SendPreviewFolder, SendProgress } from '../../shared/contract/send-methods';
import {
  checkSummary,
  folderVerdicts,
  sendBatches,
  sendButtonLabel,
} from '../../renderer/src/model/send-check';
import { baseName, childPath } from '../../renderer/src/model/send-folder-paths';
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
  const previews = [
    preview('good'),
    preview('bad', { problems: ['metrics.csv: row 2 of column "speed" is not a number'] }),
    preview('old', { duplicateOf: '7' }),
    preview('cut', { failedEarlier: { id: '9', arrived: 1, total: 2, reason: 'S3 gone' } }),
  ];

  it('holds back a folder with problems and one sent before; resumes one that failed', () => {
    const verdicts = folderVerdicts(previews, new Map());
    expect(verdicts.map((v) => [v.name, v.kind, v.choice])).toEqual([
      ['good', 'ready', 'send'],
      ['bad', 'problems', 'skip'],
      ['old', 'sent-before', 'skip'],
      ['cut', 'failed-earlier', 'resume'],
    ]);
    expect(sendBatches(verdicts)).toEqual([
      { folders: ['/lab/good', '/lab/cut'], again: false, resume: true },
    ]);
    expect(sendButtonLabel(verdicts)).toBe('Send 2 runs (1 resumed)');
    expect(checkSummary(verdicts)).toMatch(/1 folder has problems.*1 folder was sent before/u);
  });

  it('folders sent again go in a call of their own: again would turn the resume into a new run', () => {
    const verdicts = folderVerdicts(
      previews,
      new Map([
        ['/lab/old', 'again'],
        ['/lab/bad', 'again'],
      ]),
    );
    expect(sendBatches(verdicts)).toEqual([
      { folders: ['/lab/good', '/lab/cut'], again: false, resume: true },
      { folders: ['/lab/old'], again: true, resume: false },
    ]);
    expect(sendButtonLabel(verdicts)).toBe('Send 3 runs (1 resumed)');
    const fresh = folderVerdicts(previews, new Map([['/lab/cut', 'again']]));
    expect(sendBatches(fresh)).toEqual([
      { folders: ['/lab/good'], again: false, resume: false },
      { folders: ['/lab/cut'], again: true, resume: false },
    ]);
  });

  it('says when nothing will be sent, and when everything will', () => {
    const none = folderVerdicts([previews[1] as SendPreviewFolder], new Map());
    expect(sendBatches(none)).toEqual([]);
    expect(sendButtonLabel(none)).toBe('Nothing to send');
    const one = folderVerdicts([preview('good')], new Map());
    expect(sendButtonLabel(one)).toBe('Send 1 run');
    expect(checkSummary(one)).toBe('Every folder will be sent.');
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
    expect(state.folders[0]?.status).toBe('COMPLETED');
    expect(sendFraction(state)).toBeCloseTo(0.5);
    state = applySendProgress(state, event({ phase: 'cancelled', folder: null, foldersDone: 1 }));
    expect(state.phase).toBe('cancelled');
    expect(sendFraction(state)).toBeCloseTo(0.5);
  });

  it('counts folders of both calls of one wizard send, and a folder the core did not send', () => {
    let state = initialSendProgress(['/lab/a', '/lab/b']);
    // First call: folder a alone (1 of 1), then the second call: folder b (0 of 1).
    state = applySendProgress(
      state,
      event({ phase: 'folder-done', foldersDone: 1, foldersTotal: 1 }),
    );
    state = applySendProgress(
      state,
      event({ phase: 'done', folder: null, foldersDone: 1, foldersTotal: 1 }),
    );
    state = applySendProgress(
      state,
      event({
        phase: 'folder-done',
        folder: '/lab/b',
        folderStatus: 'NOT_SENT',
        foldersDone: 1,
        foldersTotal: 1,
      }),
    );
    expect(state).toMatchObject({ phase: 'sending', foldersDone: 2, foldersTotal: 2 });
    expect(state.folders[1]?.status).toBe('NOT_SENT');
  });
});
