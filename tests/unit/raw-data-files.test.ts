import { describe, expect, it } from 'vitest';
import {
  acquisitionTime,
  dataFileEntries,
  minioObjectKey,
  parseHumanSize,
  rawDataOfInfo,
} from '../../shared/raw-data-files';

const altarInfo = {
  dataFiles: {
    artifacts: { spectrum: 'BBTPRXK-20230417T181300-spectrum.csv' },
    raw_data: {
      minio: {
        video: {
          type: 'video',
          fileName: 'BBTPRXK-20230417T181300-video.tiff',
          size: '12.30 Mo',
          bucket: 'raw',
          minio_folder: '2023-04-17_18-13-00_sample',
        },
      },
      local: {
        notes: {
          type: 'text',
          fileName: 'notes.txt',
          size: '2,1 Ko',
          local_path: '\\\\labserver\\share\\2023',
        },
      },
    },
  },
};

describe('parseHumanSize', () => {
  it('reads French units, decimal points and commas, 1024-based', () => {
    expect(parseHumanSize('512 o')).toBe(512);
    expect(parseHumanSize('12.30 Mo')).toBe(Math.round(12.3 * 1024 * 1024));
    expect(parseHumanSize('1,5 Go')).toBe(1.5 * 1024 ** 3);
    expect(parseHumanSize('3 Ko')).toBe(3072);
    expect(parseHumanSize('2 To')).toBe(2 * 1024 ** 4);
    expect(parseHumanSize('7')).toBe(7);
  });

  it('reads English units and ignores case and spacing', () => {
    expect(parseHumanSize('4KB')).toBe(4096);
    expect(parseHumanSize('  1.0 mb ')).toBe(1024 * 1024);
    expect(parseHumanSize('10 B')).toBe(10);
  });

  it('gives null for what is not a size', () => {
    expect(parseHumanSize(null)).toBeNull();
    expect(parseHumanSize('')).toBeNull();
    expect(parseHumanSize('big')).toBeNull();
    expect(parseHumanSize('12 parsecs')).toBeNull();
    expect(parseHumanSize('-3 Mo')).toBeNull();
    expect(parseHumanSize('1.2.3 Mo')).toBeNull();
  });
});

describe('acquisitionTime', () => {
  it('reads the time from a stored name and nothing else', () => {
    expect(acquisitionTime('BBTPRXK-20230417T181300-video.tiff')).toBe('2023-04-17 18:13:00');
    expect(acquisitionTime('notes.txt')).toBeNull();
    // Crockford base32 has no I, L, O, U: not a stored name.
    expect(acquisitionTime('BBTPRXI-20230417T181300-video.tiff')).toBeNull();
    expect(acquisitionTime('BBTPRXK-2023041T181300-video.tiff')).toBeNull();
  });
});

describe('minioObjectKey', () => {
  it('joins folder and name without stray slashes', () => {
    expect(minioObjectKey('exp1', 'a.tiff')).toBe('exp1/a.tiff');
    expect(minioObjectKey('/exp1/sub/', 'a.tiff')).toBe('exp1/sub/a.tiff');
    expect(minioObjectKey('', 'a.tiff')).toBe('a.tiff');
    expect(minioObjectKey(null, 'a.tiff')).toBe('a.tiff');
  });
});

describe('dataFileEntries', () => {
  it('lists artifacts, then MinIO, then local raw data with every field', () => {
    const entries = dataFileEntries(altarInfo);
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'artifact', stem: 'spectrum', bucket: null, key: null }),
      {
        kind: 'minio',
        stem: 'video',
        fileName: 'BBTPRXK-20230417T181300-video.tiff',
        type: 'video',
        size: '12.30 Mo',
        sizeBytes: Math.round(12.3 * 1024 * 1024),
        location: 'raw/2023-04-17_18-13-00_sample',
        acquired: '2023-04-17 18:13:00',
        bucket: 'raw',
        key: '2023-04-17_18-13-00_sample/BBTPRXK-20230417T181300-video.tiff',
        localPath: null,
      },
      {
        kind: 'local',
        stem: 'notes',
        fileName: 'notes.txt',
        type: 'text',
        size: '2,1 Ko',
        sizeBytes: Math.round(2.1 * 1024),
        location: '\\\\labserver\\share\\2023',
        acquired: null,
        bucket: null,
        key: null,
        localPath: '\\\\labserver\\share\\2023',
      },
    ]);
  });

  it('is null without dataFiles; rawDataOfInfo leaves the artifacts out', () => {
    expect(dataFileEntries({})).toBeNull();
    expect(dataFileEntries({ dataFiles: 'x' })).toBeNull();
    expect(rawDataOfInfo({})).toBeNull();
    expect(rawDataOfInfo(altarInfo)?.map((e) => e.kind)).toEqual(['minio', 'local']);
    expect(rawDataOfInfo({ dataFiles: { artifacts: { a: 'b' } } })).toEqual([]);
  });

  it('skips malformed entries and keeps the good ones', () => {
    const entries = rawDataOfInfo({
      dataFiles: {
        raw_data: {
          minio: {
            broken: 'not an object',
            list: [1, 2],
            nothing: null,
            // No fileName: the stem stands in; no bucket: no key bucket.
            bare: { size: 12 },
            good: { fileName: 'x.bin', bucket: 'b', minio_folder: 'f', size: 'huge' },
          },
          local: [{ fileName: 'array-instead-of-dict' }],
        },
      },
    });
    expect(entries).toEqual([
      expect.objectContaining({
        stem: 'bare',
        fileName: 'bare',
        size: '12',
        sizeBytes: 12,
        bucket: null,
        key: 'bare',
        location: null,
      }),
      expect.objectContaining({ stem: 'good', key: 'f/x.bin', size: 'huge', sizeBytes: null }),
    ]);
    expect(rawDataOfInfo({ dataFiles: { raw_data: 'x' } })).toEqual([]);
    expect(rawDataOfInfo({ dataFiles: { raw_data: { minio: 3, local: null } } })).toEqual([]);
  });
});
