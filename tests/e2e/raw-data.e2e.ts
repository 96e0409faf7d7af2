import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MongoClient, type Document } from 'mongodb';
import { encodePng } from '../../main/core/demo/png-encoder';
import { mongoUriWithCredentials } from '../support/mongo-test-server';
import {
  S3_ACCESS_KEY,
  S3_SECRET,
  startS3TestServer,
  type S3TestServer,
} from '../support/s3-test-server';
import { startSeededMongo, type SeededMongo } from '../support/seeded-mongo-process';
import { startServedApp, type ServedApp } from '../support/serve-process';
import { openRunBySearch } from './open-run';

// An Altar upload (SACRED_FORMAT.md §7) in a lab database whose raw data sits on a MinIO-like
// server (s3rver, which checks SigV4 signatures) and on a share that is not mounted here.
let app: ServedApp;
let lab: SeededMongo;
let s3: S3TestServer;
let localRoot: string;
let runId: string;
let objectKey: (fileName: string) => string;
const names = { video: '', frame: '', log: '' };

const tiffBytes = Buffer.from(
  Array.from({ length: 40_000 }, (_v, i) => (i * 37 + (i >> 8)) & 0xff),
);
const frameBytes = encodePng({
  width: 24,
  height: 16,
  pixels: Buffer.from(Array.from({ length: 24 * 16 * 3 }, (_v, i) => (i * 11) & 0xff)),
});
const logText = 'acquisition started\nframes: 1200\nexposure_ms: 12.5\n';
const notesText = 'operator notes: laser aligned at 18:10\n';

test.beforeAll(async () => {
  [lab, s3] = await Promise.all([
    startSeededMongo(['--runs', '6', '--seed', '11']),
    startS3TestServer(['raw']),
  ]);
  const client = new MongoClient(mongoUriWithCredentials(lab.uri, 'admin', 'admin-pw'));
  await client.connect();
  try {
    const runs = client.db(lab.database).collection('runs');
    const altar = await runs.findOne({ 'info.dataFiles.raw_data.minio.video': { $exists: true } });
    if (altar === null) throw new Error('the generator made no Altar run');
    runId = String(altar._id);
    const video = (altar.info as Document).dataFiles.raw_data.minio.video as Document;
    const folder = String(video.minio_folder);
    const hash = String(video.fileName).slice(0, 7);
    names.video = String(video.fileName);
    names.frame = `${hash}-20230417T181300-frame.png`;
    names.log = `${hash}-20230417T181300-acquisition.log`;
    objectKey = (fileName) => `${folder}/${fileName}`;
    // An image and a text entry beside the generator's TIFF video, to preview both kinds.
    await runs.updateOne(
      { _id: altar._id },
      {
        $set: {
          'info.dataFiles.raw_data.minio.frame': {
            type: 'image',
            fileName: names.frame,
            size: '1.20 Ko',
            bucket: 'raw',
            minio_folder: folder,
          },
          'info.dataFiles.raw_data.minio.log': {
            type: 'text',
            fileName: names.log,
            size: '52 o',
            bucket: 'raw',
            minio_folder: folder,
          },
        },
      },
    );
  } finally {
    await client.close();
  }
  // The SDK's note about Node 22 is advice for us, not a test result.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const upload = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const objects: [string, Buffer, string][] = [
    [names.video, tiffBytes, 'image/tiff'],
    [names.frame, frameBytes, 'image/png'],
    [names.log, Buffer.from(logText), 'text/plain'],
  ];
  for (const [fileName, body, contentType] of objects) {
    await upload.send(
      new PutObjectCommand({
        Bucket: 'raw',
        Key: objectKey(fileName),
        Body: body,
        ContentType: contentType,
      }),
    );
  }
  upload.destroy();
  localRoot = mkdtempSync(path.join(tmpdir(), 'altar-e2e-raw-local-'));
  app = await startServedApp();
});

test.afterAll(async () => {
  await Promise.all([app?.stop(), lab?.stop(), s3?.close()]);
  if (localRoot !== undefined) rmSync(localRoot, { recursive: true, force: true });
});

async function addSource(page: Page, source: string): Promise<void> {
  await page.getByTestId('connect-mongo-button').first().click();
  await page.getByTestId('conn-name-input').fill(`${source}-server`);
  await page.getByTestId('conn-mode-uri').click();
  await page
    .getByTestId('conn-uri-input')
    .fill(`mongodb://reader@127.0.0.1:${lab.port}/?authSource=admin`);
  await page.getByTestId('conn-password-input').fill('reader-pw');
  await page.getByTestId('conn-save-button').click();
  const database = page.locator(`[data-testid="db-item"][data-db="${lab.database}"]`);
  await database
    .locator('[data-testid="db-collection"][data-prefix=""]')
    .getByTestId('db-add-source')
    .click();
  await page.getByTestId('source-name-input').fill(source);
  await page.getByTestId('source-add-submit').click();
  await expect(page.getByTestId('mongo-dialog')).toBeHidden();
}

test('raw data of an Altar run: storage profile, preview, download, link, local folder', async ({
  page,
}) => {
  await page.goto(app.url);
  await addSource(page, 'lab');
  await openRunBySearch(page, runId, 'lab');
  await page.getByTestId('tab-raw-data').click();

  const rows = page.getByTestId('raw-data-row');
  await expect(rows).toHaveCount(4);
  const row = (stem: string) => page.locator(`[data-testid="raw-data-row"][data-stem="${stem}"]`);
  await expect(row('video')).toContainText('MinIO');
  await expect(row('video')).toContainText('12.30 Mo');
  await expect(row('video')).toContainText('2023-04-17 18:13:00');
  await expect(row('video')).toContainText(`raw/${objectKey(names.video)}`);

  // Without a storage profile: said once above the table, and no MinIO row offers a preview.
  const notice = page.getByTestId('raw-storage-notice');
  await expect(notice).toContainText('No storage profile for lab: set endpoint and keys');
  await expect(row('frame').getByTestId('raw-preview')).toHaveCount(0);
  await expect(row('frame')).toHaveAttribute('data-availability', 'no-profile');

  // The local file of another computer's share: where it was expected, and where we looked.
  await expect(row('notes').getByTestId('raw-local-missing')).toContainText(
    'Expected at \\\\labserver\\share\\2023\\notes.txt; searched:',
  );

  // The dialog from the empty state: Esc closes it without saving.
  await notice.getByTestId('raw-storage-set').click();
  const dialog = page.getByTestId('storage-dialog');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await notice.getByTestId('raw-storage-set').click();

  // A bad endpoint is refused in place; nothing typed is lost.
  const endpoint = dialog.getByTestId('storage-endpoint');
  await endpoint.fill(s3.endpoint.replace('http://', ''));
  await dialog.getByTestId('storage-access-key').fill(S3_ACCESS_KEY);
  await dialog.getByTestId('storage-secret').fill('not-the-secret');
  await endpoint.press('Enter');
  await expect(dialog).toContainText('Start the endpoint with http:// or https://');
  await expect(dialog.getByTestId('storage-access-key')).toHaveValue(S3_ACCESS_KEY);
  await expect(dialog.getByTestId('storage-secret')).toHaveValue('not-the-secret');

  // A wrong secret: the server's refusal is shown, the secret itself never.
  await endpoint.fill(s3.endpoint);
  await dialog.getByTestId('storage-test-button').click();
  const error = dialog.getByTestId('storage-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText(/credential|secret|signature|denied/iu);
  await expect(error).not.toContainText('not-the-secret');

  await dialog.getByTestId('storage-secret').fill(S3_SECRET);
  await dialog.getByTestId('storage-test-button').click();
  await expect(dialog.getByTestId('storage-test-result')).toContainText(
    `Connected to ${s3.endpoint}`,
  );
  await dialog.getByTestId('storage-secret').press('Enter');
  await expect(dialog).toBeHidden();

  await expect(notice).toBeHidden();
  await expect(row('frame')).toHaveAttribute('data-availability', 'ready');

  // Previews stream through the app: an image, then a text file.
  const panel = page.getByTestId('raw-preview-panel');
  await row('frame').getByTestId('raw-preview').click();
  const image = panel.getByTestId('artifact-image');
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(24);
  await row('log').getByTestId('raw-preview').click();
  await expect(panel.locator('.artifact-text')).toContainText('frames: 1200');

  // Download the TIFF through the app: the same bytes as on the server.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row('video').getByTestId('raw-download').click(),
  ]);
  expect(download.suggestedFilename()).toBe(names.video);
  expect(readFileSync(await download.path()).equals(tiffBytes)).toBe(true);

  // A presigned link works outside the app, straight from the storage server.
  await row('frame').getByTestId('raw-copy-link').click();
  const link = await row('frame').getByTestId('raw-link-url').inputValue();
  expect(link.startsWith(`${s3.endpoint}/raw/`)).toBe(true);
  expect(link).toContain('X-Amz-Signature=');
  const fetched = await fetch(link);
  expect(fetched.status).toBe(200);
  expect(Buffer.from(await fetched.arrayBuffer()).equals(frameBytes)).toBe(true);

  // The source menu opens the same profile: the secret is "saved", never shown; add a folder.
  mkdirSync(path.join(localRoot, 'share', '2023'), { recursive: true });
  writeFileSync(path.join(localRoot, 'share', '2023', 'notes.txt'), notesText);
  await page
    .locator('[data-testid="source-item"][data-source="lab"]')
    .getByTestId('source-menu-button')
    .click();
  await page.getByTestId('source-storage-profile').click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('storage-secret-saved')).toHaveText('saved');
  await expect(dialog.getByTestId('storage-secret')).toHaveValue('');
  await expect(dialog.getByTestId('storage-endpoint')).toHaveValue(s3.endpoint);
  const root = dialog.getByTestId('storage-root-input').first();
  await root.fill('relative/folder');
  await root.press('Enter');
  await expect(dialog.getByTestId('storage-roots-error')).toContainText('not a full path');
  await root.fill(localRoot);
  await root.press('Enter');
  await expect(dialog).toBeHidden();

  await expect(row('notes')).toHaveAttribute('data-availability', 'found');
  await expect(row('notes').getByTestId('raw-local-path')).toContainText(localRoot);
  await row('notes').getByTestId('raw-preview').click();
  await expect(panel.locator('.artifact-text')).toContainText('laser aligned');

  // Removing the profile (after a confirmation) forgets the keys: the rows say so again.
  await page
    .locator('[data-testid="source-item"][data-source="lab"]')
    .getByTestId('source-menu-button')
    .click();
  await page.getByTestId('source-storage-profile').click();
  page.once('dialog', (confirmation) => void confirmation.accept());
  await dialog.getByTestId('storage-remove-button').click();
  await expect(dialog).toBeHidden();
  await expect(notice).toContainText('No storage profile for lab: set endpoint and keys');
  await expect(row('frame')).toHaveAttribute('data-availability', 'no-profile');
});
