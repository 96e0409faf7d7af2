// Resuming a failed send (issue 16): what "already arrived" means (size and MD5 of a stored
// copy, S3 ETags of single and multipart uploads) and which FAILED run is a folder's earlier
// send, read alike from MongoDB and run folders.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyMatches, fileDigest, objectMatches } from '../../main/core/send/arrived-check';
import { hash7 } from '../../main/core/send/crockford-hash';
import { arrivedCount, failedSendOf } from '../../main/core/send/failed-send';
import type { StoredRunFields } from '../../main/core/send/failed-send';
import type { FolderPlan, PlannedFile } from '../../main/core/send/send-plan';
import { withPrefix } from '../../main/core/send/send-plan';

const dir = mkdtempSync(join(tmpdir(), 'altar-send-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

describe('what has arrived', () => {
  const bytes = Buffer.from(Array.from({ length: 25 }, (_v, i) => (i * 7) & 0xff));
  const path = join(dir, 'data.bin');
  writeFileSync(path, bytes);

  it('digests a file whole and as S3 multipart parts', async () => {
    const digest = await fileDigest(path, 10);
    expect(digest.size).toBe(25);
    expect(digest.md5).toBe(md5(bytes));
    // S3: MD5 of the parts' binary MD5s, then "-<parts>".
    const parts = [bytes.subarray(0, 10), bytes.subarray(10, 20), bytes.subarray(20)];
    const joined = Buffer.concat(parts.map((part) => createHash('md5').update(part).digest()));
    expect(digest.multipartEtag).toBe(`${md5(joined)}-3`);
    expect((await fileDigest(path, 100)).multipartEtag).toBeNull();
    // A part boundary at the file's end gives no empty part.
    expect((await fileDigest(path, 25)).multipartEtag).toBeNull();
  });

  it('trusts an S3 object only with the same size and an ETag of the same bytes', async () => {
    const digest = await fileDigest(path, 10);
    expect(objectMatches(digest, { size: 25, etag: `"${md5(bytes)}"` })).toBe(true);
    expect(objectMatches(digest, { size: 25, etag: `"${digest.multipartEtag ?? ''}"` })).toBe(true);
    expect(objectMatches(digest, { size: 25, etag: md5(bytes).toUpperCase() })).toBe(true);
    expect(objectMatches(digest, { size: 24, etag: `"${md5(bytes)}"` })).toBe(false);
    expect(objectMatches(digest, { size: 25, etag: `"${md5(Buffer.from('other'))}"` })).toBe(false);
    expect(objectMatches(digest, { size: 25, etag: undefined })).toBe(false);
    // A multipart ETag of other part sizes, or an encrypted object's ETag: not trusted.
    expect(objectMatches(digest, { size: 25, etag: `"${md5(bytes)}-2"` })).toBe(false);
  });

  it('trusts a local copy only with the same size and MD5', async () => {
    const digest = await fileDigest(path, 10);
    const copy = join(dir, 'copy.bin');
    writeFileSync(copy, bytes);
    expect(await copyMatches(copy, digest, 10)).toBe(true);
    writeFileSync(copy, Buffer.from(bytes.map((b) => b ^ 1)));
    expect(await copyMatches(copy, digest, 10)).toBe(false);
    writeFileSync(copy, bytes.subarray(0, 24));
    expect(await copyMatches(copy, digest, 10)).toBe(false);
    expect(await copyMatches(join(dir, 'none.bin'), digest, 10)).toBe(false);
    expect(await copyMatches(dir, digest, 10)).toBe(false);
  });
});

function planned(fileName: string, prefix: string): PlannedFile {
  return {
    path: join(dir, fileName),
    relative: fileName,
    fileName,
    storedName: `${prefix}-${fileName}`,
    key: fileName.split('.')[0] ?? fileName,
    size: 1,
  };
}

const NAME = 'Experiment7';
const OLD = `${hash7(NAME)}-20250102T030405`;
const NOW = `${hash7(NAME)}-20250607T080910`;
const plan: FolderPlan = {
  folder: `/lab/${NAME}`,
  name: NAME,
  prefix: NOW,
  sendTime: new Date(),
  config: { experiment: NAME },
  metrics: [],
  results: null,
  inputs: [],
  artifacts: [planned('plot.png', NOW)],
  raw: [planned('video.mp4', NOW), planned('notes.txt', NOW)],
  problems: [],
};

function stored(overrides: Partial<StoredRunFields> = {}): StoredRunFields {
  return {
    id: '7',
    experimentName: NAME,
    startTime: '2025-01-02T03:04:05.123456',
    config: { experiment: NAME, seed: 12 },
    failTrace: ['Altar Viewer: raw data that could not be stored:\n', 'video.mp4: gone\n'],
    dataFiles: {
      artifacts: { plot: `${OLD}-plot.png` },
      raw_data: { minio: { notes: { fileName: `${OLD}-notes.txt` } }, local: {} },
    },
    storedArtifacts: [`${OLD}-plot.png`],
    ...overrides,
  };
}

describe("a folder's earlier failed send", () => {
  it('keeps the prefix, seed and start of the run it completes, and counts what arrived', () => {
    const failed = failedSendOf(plan, stored());
    expect(failed).toEqual({
      id: '7',
      startTime: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 123)),
      prefix: OLD,
      seed: 12,
      recorded: [`${OLD}-notes.txt`, `${OLD}-plot.png`],
      reason: 'Altar Viewer: raw data that could not be stored: video.mp4: gone',
    });
    // Counted under the run's names, not this send's.
    expect(arrivedCount(plan, failed!)).toBe(0);
    expect(arrivedCount(withPrefix(plan, OLD), failed!)).toBe(2);
    expect(withPrefix(plan, OLD).raw.map((file) => file.storedName)).toEqual([
      `${OLD}-video.mp4`,
      `${OLD}-notes.txt`,
    ]);
  });

  it('is not a run of another folder, a run that is not a sent one, or one with foreign names', () => {
    expect(failedSendOf(plan, stored({ experimentName: 'Experiment8' }))).toBeNull();
    expect(failedSendOf(plan, stored({ dataFiles: undefined }))).toBeNull();
    expect(
      failedSendOf(
        plan,
        stored({ storedArtifacts: [`${hash7('Experiment8')}-20250102T030405-plot.png`] }),
      ),
    ).toBeNull();
    expect(failedSendOf(plan, stored({ storedArtifacts: ['plot.png'] }))).toBeNull();
    expect(failedSendOf(plan, stored({ startTime: 'yesterday' }))).toBeNull();
  });

  it('reads a killed send that stored nothing: no prefix, the start time gives it', () => {
    const failed = failedSendOf(
      plan,
      stored({
        dataFiles: { artifacts: {}, raw_data: { minio: {}, local: {} } },
        storedArtifacts: [],
        startTime: new Date(Date.UTC(2025, 5, 7)),
        config: { experiment: NAME },
        failTrace: undefined,
      }),
    );
    expect(failed).toMatchObject({ prefix: null, seed: null, recorded: [], reason: null });
    expect(failed?.startTime.toISOString()).toBe('2025-06-07T00:00:00.000Z');
  });
});
