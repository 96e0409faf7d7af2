// Messages the run detail shows for broken or missing parts (found by
// tests/e2e/run-detail-variants.e2e.ts on odd Sacred runs).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTolerantJson, readJsonFileTolerant } from '../../main/core/folder/tolerant-json';
import type { ArtifactRef } from '../../shared/contract';
import {
  initialArtifact,
  missingArtifactText,
  offlineSummary,
} from '../../renderer/src/model/artifact-list-state';
import { emptyPartText, partProblems } from '../../renderer/src/model/part-problems';

describe('a JSON file of binary junk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'altar-junk-json-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is reported by the character that broke it, without quoting the junk', async () => {
    const junk = Buffer.from([0x00, 0xff, 0x5b, 0x02, 0xa9, 0x50, 0xf7, 0x9e, 0x45, 0x22]);
    await writeFile(join(dir, 'config.json'), junk);
    const result = await readJsonFileTolerant(join(dir, 'config.json'), { retries: 0 });
    expect(result).toEqual({
      ok: false,
      reason: 'config.json is not valid JSON (unexpected character U+0000)',
      missing: false,
      // Not JSON after every read: it may be caught mid-rewrite, so a good copy would be kept.
      halfWritten: true,
    });
  });

  it('never passes control characters or replacement characters on to the screen', () => {
    for (const text of ['\u0007abc', '\ufffd{', 'x"\u0000"']) {
      let message = '';
      try {
        parseTolerantJson(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Invalid JSON: /u);
      const codes = Array.from(message, (ch) => ch.codePointAt(0) ?? 0);
      expect(codes.filter((c) => c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfffd)).toEqual([]);
      expect(message).not.toContain('is not valid JSON');
    }
  });

  it('still names a plain wrong character', () => {
    expect(() => parseTolerantJson('{"a": x}')).toThrow('Invalid JSON: unexpected "x"');
  });
});

const artifact = (name: string, size: number | null, cached?: boolean): ArtifactRef => ({
  name,
  size,
  id: name,
  contentType: null,
  ...(cached === undefined ? {} : { cached }),
});

describe('artifacts listed without a file', () => {
  it('the tab opens on an artifact that has a file, not on a missing image', () => {
    const list = [artifact('ghost.png', null), artifact('notes.txt', 10), artifact('plot.png', 5)];
    expect(initialArtifact(list)?.name).toBe('plot.png');
    expect(initialArtifact([artifact('ghost.png', null), artifact('a.txt', 3)])?.name).toBe(
      'a.txt',
    );
    expect(initialArtifact([artifact('ghost.png', null)])?.name).toBe('ghost.png');
    expect(initialArtifact([])).toBeUndefined();
  });

  it('the offline line counts only artifacts that have a file', () => {
    expect(offlineSummary([artifact('ghost.bin', null, false)])).toBe(
      'The files of these artifacts are missing from the database.',
    );
    expect(offlineSummary([artifact('a', 1, true), artifact('b', 2, true)])).toBe(
      'Every artifact of this run is available offline.',
    );
    expect(offlineSummary([artifact('a', 1, true), artifact('ghost', null, false)])).toBe(
      'Every stored artifact of this run is available offline. 1 missing from the database.',
    );
    expect(offlineSummary([artifact('a', 1, false), artifact('b', 2, true)])).toBe(
      '1 of 2 available offline.',
    );
  });

  it('a missing artifact says so by name instead of trying to load it', () => {
    expect(missingArtifactText(artifact('ghost.png', null))).toContain('“ghost.png”');
    expect(missingArtifactText(artifact('ghost.png', null))).toContain('missing');
  });
});

describe('warnings that explain an empty tab', () => {
  const warnings = [
    'metrics.json is not valid JSON at byte 0 (unexpected byte 0x00); showing the points read before it',
    'info.json is not valid JSON (unexpected character U+0000)',
    'config.json does not hold a JSON object',
    'config is a string, not an object',
    'cout.txt cannot be read (EISDIR)',
    'captured_out is a number, not text',
    'metric "loss" is missing from metrics',
    'artifact "metrics.json" is missing from the run directory',
  ];

  it('are picked per part, and only for that part', () => {
    expect(partProblems(warnings, 'metrics')).toEqual([warnings[0], warnings[6]]);
    expect(partProblems(warnings, 'info')).toEqual([warnings[1]]);
    expect(partProblems(warnings, 'config')).toEqual([warnings[2], warnings[3]]);
    expect(partProblems(warnings, 'output')).toEqual([warnings[4], warnings[5]]);
    expect(partProblems([], 'metrics')).toEqual([]);
  });

  it('turn an empty config or info tab into the reason it is empty', () => {
    expect(emptyPartText(warnings, 'config', 'This run has no config.')).toBe(
      'The config could not be read: config.json does not hold a JSON object; config is a string, not an object',
    );
    expect(emptyPartText(warnings.slice(4), 'info', 'Nothing was stored in info.')).toBe(
      'Nothing was stored in info.',
    );
  });
});
