import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore } from '../../main/core/cache/cache-store';
import { readFileTail } from '../../main/core/file-tail';
import { syncFolderSource } from '../../main/core/sync/sync-folder-source';
import { lazyTextTail, utf8OfTail } from '../../main/core/utf8-text-tail';

/**
 * A folder sync stores cout.txt's bytes as read instead of decoding them to text and encoding
 * the text back (issue 13). What the cache holds must be what it held before: the UTF-8 of the
 * decoded text, which differs from the bytes when they are not valid UTF-8.
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altar-cout-bytes-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What the cache stored before: the bytes decoded as UTF-8, then encoded again. */
function storedBefore(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('utf8'), 'utf8');
}

interface Sample {
  what: string;
  bytes: Buffer;
  /** The bytes the old reader decoded (a character still being written is left out). */
  shown?: Buffer;
}

const samples: Sample[] = [
  { what: 'ascii', bytes: Buffer.from('epoch 1 loss 0.5\nepoch 2 loss 0.25\n') },
  {
    what: 'multi-byte text and a progress bar',
    bytes: Buffer.from('héllo wörld €\r100%|██████████| 10/10\n'),
  },
  {
    what: 'a byte-order mark',
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('out\n')]),
  },
  {
    what: 'bytes that are not UTF-8',
    bytes: Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x0a, 0x80, 0x41, 0xc3, 0x28]),
  },
  {
    what: 'a character cut at the end (still being written)',
    bytes: Buffer.from([0x61, 0x62, 0xe2, 0x82]),
    shown: Buffer.from('ab'),
  },
  { what: 'an overlong encoding', bytes: Buffer.from([0x41, 0xc0, 0xaf, 0x42]) },
  { what: 'empty', bytes: Buffer.alloc(0) },
];

describe('captured output stored from its bytes', () => {
  for (const { what, bytes, shown } of samples) {
    it(`stores the same bytes as decoding and encoding would: ${what}`, async () => {
      const path = join(dir, 'cout.txt');
      writeFileSync(path, bytes);
      const tail = await readFileTail(path, 1024);
      expect([...utf8OfTail(tail)]).toEqual([...storedBefore(shown ?? bytes)]);
      // The text is the decoded text, whenever it is read.
      expect(tail.text).toBe((shown ?? bytes).toString('utf8'));
    });
  }

  it('gives the bytes of the text for a tail it did not read (a copy, a database run)', () => {
    const read = lazyTextTail(Buffer.from([0x61, 0xff]), false, 2);
    const copy = { ...read };
    expect(copy.text).toBe('a\uFFFD');
    expect([...utf8OfTail(copy)]).toEqual([0x61, 0xef, 0xbf, 0xbd]);
    expect([...utf8OfTail({ text: 'é' })]).toEqual([0xc3, 0xa9]);
    expect([...utf8OfTail(read)]).toEqual([0x61, 0xef, 0xbf, 0xbd]);
  });

  it('keeps the tail fields a caller compares, and no more', async () => {
    const path = join(dir, 'cout.txt');
    writeFileSync(path, 'abc€');
    expect(await readFileTail(path, 3)).toEqual({ text: '€', truncated: true, totalBytes: 6 });
  });

  it('a synced run shows and stores the output as before, valid UTF-8 or not', async () => {
    const folder = join(dir, 'runs');
    samples.forEach(({ bytes }, index) => {
      const run = join(folder, String(index + 1));
      mkdirSync(run, { recursive: true });
      writeFileSync(join(run, 'run.json'), '{"status": "COMPLETED", "experiment": {"name": "x"}}');
      writeFileSync(join(run, 'config.json'), '{}');
      writeFileSync(join(run, 'cout.txt'), bytes);
    });
    const store = CacheStore.open(join(dir, 'cache.sqlite'));
    try {
      store.addSource({ name: 'f', kind: 'folder', location: folder, createdAt: 'now' });
      const summary = await syncFolderSource({ store, source: 'f' });
      expect(summary.added).toBe(samples.length);
      samples.forEach(({ bytes, shown }, index) => {
        const before = storedBefore(shown ?? bytes);
        const row = store.database
          .prepare(
            "SELECT captured_out, captured_out_bytes FROM runs WHERE source = 'f' AND run_id = ?",
          )
          .get(String(index + 1)) as { captured_out: Buffer; captured_out_bytes: number };
        expect([...inflateRawSync(row.captured_out)]).toEqual([...before]);
        expect(row.captured_out_bytes).toBe(Math.max(bytes.length, before.length));
        expect(store.getCapturedOutput('f', String(index + 1))?.text).toBe(
          (shown ?? bytes).toString('utf8'),
        );
      });
    } finally {
      store.close();
    }
  });
});
