import { describe, expect, it } from 'vitest';
import { createElectronClient } from '../../renderer/src/api/electron-client';
import type { AltarBridge } from '../../renderer/src/api/electron-client';
import { createHttpClient } from '../../renderer/src/api/http-client';
import {
  canOpen,
  missingLocalText,
  rawDataCount,
  storageNotice,
} from '../../renderer/src/model/raw-data-rows';
import {
  cleanLocalRoots,
  formatStorageTest,
  isAbsoluteFolder,
  readStorageSave,
  readStorageTest,
  secretPlaceholder,
  toStorageFormValues,
} from '../../renderer/src/model/storage-profile-form';
import type { StorageFormValues } from '../../renderer/src/model/storage-profile-form';
import type { RawDataRow, StorageProfile } from '../../shared/contract';

function row(overrides: Partial<RawDataRow>): RawDataRow {
  return {
    kind: 'minio',
    stem: 'video',
    fileName: 'BBTPRXK-20230417T181300-video.tiff',
    type: 'video',
    size: '12.30 Mo',
    sizeBytes: 12_897_484,
    acquired: '2023-04-17 18:13:00',
    location: 'raw/sample',
    contentType: 'image/tiff',
    availability: 'ready',
    bucket: 'raw',
    key: 'sample/BBTPRXK-20230417T181300-video.tiff',
    path: null,
    searched: [],
    ...overrides,
  };
}

const profile: StorageProfile = {
  source: 'lab',
  endpoint: 'http://127.0.0.1:9000',
  tls: false,
  region: 'eu-west-3',
  pathStyle: true,
  accessKeyId: 'AKIA',
  hasSecret: true,
  secretStorage: 'memory',
  localRoots: ['/mnt/lab'],
  updatedAt: '2026-11-27T00:00:00.000Z',
};

function form(overrides: Partial<StorageFormValues>): StorageFormValues {
  return { ...toStorageFormValues(null), ...overrides };
}

describe('raw data rows', () => {
  it('asks for a storage profile when a MinIO row has none, naming the source', () => {
    const notice = storageNotice('lab-a', [
      row({ availability: 'no-profile' }),
      row({ kind: 'local', availability: 'missing' }),
    ]);
    expect(notice).toEqual({
      kind: 'no-profile',
      text: 'No storage profile for lab-a: set endpoint and keys',
    });
  });

  it('asks for the secret again when only it is unknown, and says nothing when all is ready', () => {
    expect(storageNotice('lab', [row({ availability: 'no-secret' })])?.kind).toBe('no-secret');
    expect(storageNotice('lab', [row({}), row({ kind: 'local', availability: 'found' })])).toBe(
      null,
    );
    // Local rows alone never ask for S3 keys.
    expect(storageNotice('lab', [row({ kind: 'local', availability: 'missing' })])).toBe(null);
  });

  it('opens only rows whose content can be streamed', () => {
    expect(canOpen(row({}))).toBe(true);
    expect(canOpen(row({ kind: 'local', availability: 'found' }))).toBe(true);
    expect(canOpen(row({ availability: 'no-profile' }))).toBe(false);
    expect(canOpen(row({ availability: 'no-secret' }))).toBe(false);
    expect(canOpen(row({ kind: 'local', availability: 'missing' }))).toBe(false);
  });

  it('says where a missing local file was expected and which folders were searched', () => {
    const missing = row({
      kind: 'local',
      availability: 'missing',
      path: '\\\\labserver\\share\\2023\\notes.txt',
      searched: ['/mnt/lab/2023', '/mnt/lab'],
    });
    expect(missingLocalText(missing)).toBe(
      'Expected at \\\\labserver\\share\\2023\\notes.txt; searched: /mnt/lab/2023, /mnt/lab',
    );
    expect(missingLocalText({ ...missing, searched: [] })).toContain(
      'searched: no local data folders are set',
    );
  });

  it('counts the raw data entries of info.dataFiles, not the artifacts', () => {
    expect(rawDataCount({})).toBe(0);
    expect(
      rawDataCount({
        dataFiles: {
          artifacts: { spectrum: 'AAAAAAA-20230417T181300-spectrum.csv' },
          raw_data: {
            minio: { video: { fileName: 'v.tiff', bucket: 'raw', minio_folder: 'f' } },
            local: { notes: { fileName: 'notes.txt', local_path: 'C:\\x' }, bad: 3 },
          },
        },
      }),
    ).toBe(2);
  });
});

describe('storage profile form', () => {
  it('starts from the saved profile without ever holding the secret', () => {
    const values = toStorageFormValues(profile);
    expect(values).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-3',
      accessKeyId: 'AKIA',
      secret: '',
      localRoots: ['/mnt/lab'],
    });
    expect(toStorageFormValues(null)).toMatchObject({ region: 'us-east-1', localRoots: [''] });
    expect(secretPlaceholder(profile, false)).toMatch(/^saved \(in memory\)/u);
    expect(secretPlaceholder({ ...profile, hasSecret: false }, false)).toBe('No secret saved');
    expect(secretPlaceholder(profile, true)).toMatch(/forgotten/u);
  });

  it('saves trimmed fields; an empty secret keeps the saved one, a typed one is sent as typed', () => {
    const kept = readStorageSave(
      form({ endpoint: ' https://minio.lab:9000 ', accessKeyId: ' key ', region: '' }),
    );
    expect(kept).toEqual({
      ok: true,
      args: {
        endpoint: 'https://minio.lab:9000',
        region: 'us-east-1',
        pathStyle: true,
        accessKeyId: 'key',
        localRoots: [],
      },
    });
    const typed = readStorageSave(
      form({ endpoint: 'http://h:1', accessKeyId: 'k', secret: ' s ' }),
    );
    expect(typed.ok && typed.args.secretAccessKey).toBe(' s ');
    const forget = readStorageSave(form({ forgetSecret: true, secret: 'ignored' }));
    expect(forget.ok && forget.args.secretAccessKey).toBe(null);
  });

  it('refuses an endpoint without scheme or with another scheme, and a key-less endpoint', () => {
    const noScheme = readStorageSave(form({ endpoint: 'minio.lab:9000', accessKeyId: 'k' }));
    expect(noScheme).toEqual({
      ok: false,
      errors: { endpoint: expect.stringContaining('https://minio.lab:9000') as string },
    });
    const ftp = readStorageSave(form({ endpoint: 'ftp://minio.lab', accessKeyId: 'k' }));
    expect(!ftp.ok && ftp.errors.endpoint).toMatch(/http:\/\/ or https:\/\//u);
    const noKey = readStorageSave(form({ endpoint: 'http://minio.lab' }));
    expect(!noKey.ok && noKey.errors.accessKeyId).toMatch(/access key id/u);
    const spaced = readStorageSave(form({ region: 'eu west' }));
    expect(!spaced.ok && spaced.errors.region).toBeTruthy();
  });

  it('allows only local folders: no endpoint, no keys', () => {
    const read = readStorageSave(form({ localRoots: ['/data', '', ' /data ', 'D:\\lab'] }));
    expect(read).toEqual({
      ok: true,
      args: {
        endpoint: null,
        region: 'us-east-1',
        pathStyle: true,
        accessKeyId: null,
        localRoots: ['/data', 'D:\\lab'],
      },
    });
  });

  it('refuses a relative folder and more than 20, naming the culprit', () => {
    const relative = readStorageSave(form({ localRoots: ['/ok', 'data/raw'] }));
    expect(!relative.ok && relative.errors.localRoots).toContain('“data/raw” is not a full path');
    const many = readStorageSave(
      form({ localRoots: Array.from({ length: 22 }, (_v, i) => `/d${i}`) }),
    );
    expect(!many.ok && many.errors.localRoots).toMatch(/At most 20 folders; remove 2/u);
  });

  it('recognises absolute folders of every platform and cleans the list', () => {
    for (const good of ['/mnt/x', 'C:\\data', 'd:/data', '\\\\server\\share']) {
      expect(isAbsoluteFolder(good)).toBe(true);
    }
    for (const bad of ['data', './x', 'C:data', '\\\\server', '~/data']) {
      expect(isAbsoluteFolder(bad)).toBe(false);
    }
    expect(cleanLocalRoots([' a ', '', 'a', 'b'])).toEqual(['a', 'b']);
  });

  it('tests only with an endpoint, and never with a secret being forgotten', () => {
    expect(readStorageTest(form({}))).toEqual({
      ok: false,
      errors: { endpoint: expect.stringContaining('Enter the endpoint') as string },
    });
    const forgetting = readStorageTest(
      form({ endpoint: 'http://h:1', accessKeyId: 'k', forgetSecret: true }),
    );
    expect(!forgetting.ok && forgetting.errors.secret).toBeTruthy();
    const ok = readStorageTest(form({ endpoint: 'http://h:1', accessKeyId: 'k' }));
    expect(ok.ok && 'secretAccessKey' in ok.args).toBe(false);
  });

  it('words a test result by what was checked', () => {
    const base = { endpoint: 'http://h:1', roundTripMs: 12.4 };
    expect(formatStorageTest({ ...base, bucket: 'raw', buckets: null })).toBe(
      'Connected to http://h:1 in 12 ms; bucket “raw” is there.',
    );
    expect(formatStorageTest({ ...base, bucket: null, buckets: [] })).toMatch(/lists no buckets/u);
    expect(
      formatStorageTest({ ...base, bucket: null, buckets: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }),
    ).toBe('Connected to http://h:1 in 12 ms; buckets: a, b, c, d, e and 2 more.');
  });
});

describe('raw data URLs of both doors', () => {
  const ref = { kind: 'minio' as const, source: 'lab a', id: '7', stem: 'vid/eo' };

  it('HTTP: under /raw-data/, every segment encoded, download flag as a query', () => {
    const api = createHttpClient();
    expect(api.rawDataUrl?.(ref)).toBe('/raw-data/minio/lab%20a/7/vid%2Feo');
    expect(api.rawDataUrl?.(ref, { download: true })).toBe(
      '/raw-data/minio/lab%20a/7/vid%2Feo?download=1',
    );
  });

  it('Electron: on the artifact protocol, which the page may already load', () => {
    const bridge = { on: () => () => undefined } as unknown as AltarBridge;
    const api = createElectronClient(bridge);
    expect(api.rawDataUrl?.({ ...ref, kind: 'local' }, { download: true })).toBe(
      'altar-artifact://raw/local/lab%20a/7/vid%2Feo?download=1',
    );
  });
});
