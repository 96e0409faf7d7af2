import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/contract';
import {
  describeDownload,
  describeProgress,
  progressFraction,
} from '../../renderer/src/model/artifact-download-text';
import { artifactFetchError } from '../../renderer/src/model/artifact-fetch-error';
import { readSettingsForm, toFormValues } from '../../renderer/src/model/settings-form';

const MIB = 1024 * 1024;

describe('the settings form', () => {
  it('shows the stored settings and sends only what changed', () => {
    const values = toFormValues(DEFAULT_SETTINGS);
    expect(values).toEqual({
      cacheMiB: '2048',
      backgroundSyncMinutes: '5',
      liveRefreshSeconds: '5',
    });
    expect(readSettingsForm(values, DEFAULT_SETTINGS)).toEqual({ ok: true, update: {} });
    expect(
      readSettingsForm(
        { ...values, cacheMiB: ' 512 ', backgroundSyncMinutes: '0' },
        DEFAULT_SETTINGS,
      ),
    ).toEqual({ ok: true, update: { artifactCacheBytes: 512 * MIB, backgroundSyncMinutes: 0 } });
  });

  it('keeps an exact byte cap that the MiB field only rounds', () => {
    const stored = { ...DEFAULT_SETTINGS, artifactCacheBytes: 100 * MIB + 3 };
    expect(readSettingsForm(toFormValues(stored), stored)).toEqual({ ok: true, update: {} });
  });

  it('names each field that is not a whole number in range', () => {
    const result = readSettingsForm(
      { cacheMiB: '63', backgroundSyncMinutes: '-1', liveRefreshSeconds: '2.5' },
      DEFAULT_SETTINGS,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual([
      'backgroundSyncMinutes',
      'cacheMiB',
      'liveRefreshSeconds',
    ]);
    expect(result.errors.cacheMiB).toContain('64');
    const empty = readSettingsForm(
      { ...toFormValues(DEFAULT_SETTINGS), liveRefreshSeconds: '' },
      DEFAULT_SETTINGS,
    );
    expect(empty.ok).toBe(false);
  });
});

describe('the text of "make available offline"', () => {
  const base = {
    source: 'lab',
    runs: 1,
    artifacts: 3,
    downloaded: 0,
    alreadyAvailable: 0,
    skipped: 0,
    bytes: 0,
    message: null,
  };

  it('says what was downloaded, what was there already and what was skipped, and why', () => {
    expect(describeDownload({ ...base, downloaded: 2, alreadyAvailable: 1, bytes: 2048 })).toBe(
      'Downloaded 2 artifacts (2.0 KB); 1 already available offline.',
    );
    expect(describeDownload({ ...base, alreadyAvailable: 3 })).toBe(
      'All 3 artifacts already available offline.',
    );
    expect(describeDownload({ ...base, artifacts: 1, alreadyAvailable: 1 })).toBe(
      'The artifact is already available offline.',
    );
    expect(
      describeDownload({
        ...base,
        downloaded: 1,
        skipped: 2,
        bytes: 10,
        message: 'Not downloaded: the artifact cache is full.',
      }),
    ).toBe('Downloaded 1 artifact (10 B); 2 skipped. Not downloaded: the artifact cache is full.');
    expect(describeDownload({ ...base, artifacts: 0 })).toBe('This run has no artifacts.');
  });

  it('shows progress by bytes when they are known, else by count', () => {
    const progress = {
      source: 'lab',
      phase: 'downloading' as const,
      done: 1,
      total: 4,
      bytes: 512 * 1024,
      totalBytes: 2 * MIB,
      message: null,
    };
    expect(describeProgress(progress)).toBe('1 / 4 · 512 KB of 2.0 MB');
    expect(progressFraction(progress)).toBe(0.25);
    expect(progressFraction({ ...progress, bytes: 0, totalBytes: 0, done: 3 })).toBe(0.75);
    expect(progressFraction({ ...progress, total: 0, totalBytes: 0 })).toBeNull();
    expect(progressFraction(null)).toBeNull();
  });
});

describe('artifact fetch errors', () => {
  it('take the message from the HTTP envelope and mark 503 as not available offline', async () => {
    const body = JSON.stringify({
      ok: false,
      error: {
        code: 'SOURCE_UNAVAILABLE',
        message:
          'The artifact "a.png" is not available offline: the server is unreachable (refused).',
      },
    });
    const error = await artifactFetchError(
      new Response(body, { status: 503, statusText: 'Service Unavailable' }),
    );
    expect(error.notAvailableOffline).toBe(true);
    expect(error.message).toContain('not available offline');
  });

  it('take the text of the Electron protocol, and fall back to the status', async () => {
    const text = await artifactFetchError(
      new Response('no artifact with this id', { status: 404 }),
    );
    expect(text.message).toBe('no artifact with this id');
    expect(text.notAvailableOffline).toBe(false);
    const empty = await artifactFetchError(
      new Response('', { status: 500, statusText: 'Internal Server Error' }),
    );
    expect(empty.message).toBe('The artifact could not be read (500 Internal Server Error).');
  });
});
