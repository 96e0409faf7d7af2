import { Binary, Decimal128, Double, Int32, Long, ObjectId, UUID } from 'bson';
import { describe, expect, it } from 'vitest';
import { toParsedMetric } from '../../main/core/mongo/mongo-metrics';
import {
  bsonToPlain,
  idFromOrigin,
  idMatchKey,
  originOf,
  readMongoRun,
  runIdString,
} from '../../main/core/mongo/read-mongo-run';
import { assignRunKeys } from '../../main/core/mongo/sync-mongo-source';
import type { GridFsFile } from '../../main/core/mongo/gridfs';

const oid = new ObjectId('6b08a5525023ea84f3dd2883');

describe('bsonToPlain', () => {
  it('turns every BSON type into plain JSON-able data', () => {
    const plain = bsonToPlain({
      when: new Date(Date.UTC(2026, 10, 26, 21, 32, 2, 430)),
      id: oid,
      small: Long.fromNumber(5_000_000_000),
      huge: Long.fromString('9007199254740993'),
      big: 12n,
      bigger: 2n ** 60n,
      int: new Int32(3),
      double: new Double(NaN),
      decimal: Decimal128.fromString('1.10'),
      uuid: new UUID('0f9e8d7c-6b5a-4f3e-9d2c-1b0a99887766'),
      bytes: new Binary(Buffer.from('hello')),
    });
    expect(plain).toEqual({
      when: '2026-11-26T21:32:02.430Z',
      id: oid.toHexString(),
      small: 5_000_000_000,
      huge: '9007199254740993',
      big: 12,
      bigger: (2n ** 60n).toString(),
      int: 3,
      double: NaN,
      decimal: '1.10',
      uuid: '0f9e8d7c-6b5a-4f3e-9d2c-1b0a99887766',
      bytes: { $binary: Buffer.from('hello').toString('base64') },
    });
  });

  it('keeps a preview of a large Binary, not all of it', () => {
    const big = bsonToPlain(new Binary(Buffer.alloc(10_000, 7))) as {
      $binary: string;
      bytes: number;
    };
    expect(big.bytes).toBe(10_000);
    expect(big.$binary.length).toBeLessThan(1100);
    expect(big.$binary.endsWith('…')).toBe(true);
  });

  it('keeps stored keys verbatim, never as paths or prototypes', () => {
    const doc = JSON.parse(
      '{"a.b": 1, "$x": 2, "a,b": 3, "__proto__": {"polluted": true}}',
    ) as object;
    const plain = bsonToPlain(doc) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(['a.b', '$x', 'a,b', '__proto__']);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('run ids', () => {
  it('shows ints, Int64, strings and ObjectIds the way a user types them', () => {
    expect(runIdString(7)).toBe('7');
    expect(runIdString(Long.fromNumber(2 ** 31 + 5))).toBe('2147483653');
    expect(runIdString(2n ** 40n)).toBe(String(2 ** 40));
    expect(runIdString('myrun7')).toBe('myrun7');
    expect(runIdString(oid)).toBe(oid.toHexString());
  });

  it('quotes a string id only when it collides with another id', () => {
    expect(assignRunKeys([42, '42', 'myrun7', oid, oid.toHexString()])).toEqual([
      '42',
      '"42"',
      'myrun7',
      oid.toHexString(),
      `"${oid.toHexString()}"`,
    ]);
    expect(assignRunKeys([1, '42'])).toEqual(['1', '42']);
  });

  it('matches ids the way MongoDB does, and round-trips them through the cache', () => {
    expect(idMatchKey(1)).toBe(idMatchKey(Long.fromNumber(1)));
    expect(idMatchKey(1)).toBe(idMatchKey(1n));
    expect(idMatchKey(1)).not.toBe(idMatchKey('1'));
    for (const id of [7, 2n ** 40n, 'myrun7', '42', oid]) {
      const back = idFromOrigin(JSON.stringify(originOf(id)));
      expect(idMatchKey(back)).toBe(idMatchKey(id));
    }
    expect(typeof idFromOrigin(JSON.stringify(originOf('42')))).toBe('string');
  });
});

describe('readMongoRun', () => {
  it('reports a document that is not an object, or not a run, without throwing', () => {
    expect(readMongoRun(null, { key: '1' })).toMatchObject({
      id: '1',
      status: 'UNREADABLE',
      unreadable: 'the run document is null, not an object',
    });
    expect(readMongoRun([1, 2], { key: '2' }).unreadable).toContain('a list');
    expect(readMongoRun({ _id: 5 })).toMatchObject({
      id: '5',
      status: 'UNREADABLE',
      unreadable: expect.stringContaining('not a Sacred run'),
      origin: { $numberInt: '5' },
    });
  });

  it('defaults everything a QUEUED document lacks', () => {
    const run = readMongoRun({
      _id: 3,
      status: 'QUEUED',
      command: 'main',
      experiment: { name: 'exp', sources: [] },
      host: { hostname: 'vm' },
      config: { lr: new Double(0.1), seed: new Int32(1) },
      meta: { queue_time: new Date(0), options: {} },
    });
    expect(run).toMatchObject({
      status: 'QUEUED',
      startTime: null,
      heartbeat: null,
      stopTime: null,
      result: null,
      failTrace: null,
      artifacts: [],
      metrics: [],
      capturedOutput: { text: '', truncated: false, totalBytes: 0 },
      unreadable: null,
      warnings: [],
      config: { lr: 0.1, seed: 1 },
      meta: { queue_time: '1970-01-01T00:00:00.000Z', options: {} },
    });
  });

  it('takes the comment from Omniboard notes first, then meta, then the 0.6 field', () => {
    const base = { _id: 1, status: 'COMPLETED' };
    expect(
      readMongoRun({ ...base, omniboard: { notes: 'n', tags: ['t'] }, meta: { comment: 'm' } }),
    ).toMatchObject({ comment: 'n', tags: ['t'] });
    expect(readMongoRun({ ...base, meta: { comment: 'm' }, comment: 'old' }).comment).toBe('m');
    expect(readMongoRun({ ...base, comment: 'old' }).comment).toBe('old');
  });

  it('reads NaN config values, bad fields and the Altar info.result', () => {
    const run = readMongoRun({
      _id: 2,
      status: 'COMPLETED',
      config: 'not an object',
      info: { result: { peak: new Double(408) } },
      result: null,
      start_time: new Date(Date.UTC(2026, 0, 1)),
      captured_out: 42,
    });
    expect(run.config).toEqual({});
    expect(run.result).toEqual({ peak: 408 });
    expect(run.startTime).toBe('2026-01-01T00:00:00.000Z');
    expect(run.warnings).toEqual([
      'config is a string, not an object',
      'captured_out is a number, not text',
    ]);
    expect(readMongoRun({ _id: 1, status: 'X', config: { bad: NaN } }).config).toEqual({
      bad: 'NaN',
    });
  });

  it('keeps the tail of a long captured output with its full size', () => {
    const text = `${'a'.repeat(100)}é${'b'.repeat(50)}`;
    const run = readMongoRun(
      { _id: 1, status: 'RUNNING', captured_out: text },
      { coutTailBytes: 60 },
    );
    expect(run.capturedOutput.truncated).toBe(true);
    expect(run.capturedOutput.totalBytes).toBe(Buffer.byteLength(text));
    expect(run.capturedOutput.text.endsWith('b'.repeat(50))).toBe(true);
  });

  it('links artifacts and sources to GridFS, and warns about missing files', () => {
    const present = new ObjectId();
    const gone = new ObjectId();
    const files = new Map<string, GridFsFile>([
      [
        present.toHexString(),
        {
          id: present.toHexString(),
          bucket: 'fs',
          filename: 'artifact://runs/1/plot.png',
          length: 120,
          contentType: 'image/png',
          md5: null,
        },
      ],
    ]);
    const run = readMongoRun(
      {
        _id: 1,
        status: 'COMPLETED',
        artifacts: [
          { name: 'plot.png', file_id: present },
          { name: 'lost.bin', file_id: gone },
        ],
        experiment: {
          sources: [
            ['main.py', present],
            ['gone.py', gone],
          ],
        },
      },
      { files },
    );
    expect(run.artifacts).toEqual([
      {
        name: 'plot.png',
        absPath: null,
        size: 120,
        gridfsId: present.toHexString(),
        gridfsBucket: 'fs',
        contentType: 'image/png',
      },
      { name: 'lost.bin', absPath: null, size: null },
    ]);
    expect(run.sourceFiles.map((s) => [s.name, s.gridfsId ?? null])).toEqual([
      ['main.py', present.toHexString()],
      ['gone.py', null],
    ]);
    expect(run.warnings).toEqual([
      'source file "gone.py" is missing from GridFS',
      'artifact "lost.bin" is missing from GridFS',
    ]);
  });
});

describe('metric documents', () => {
  it('turns null into NaN, booleans into 0/1, Int64 and dates into numbers', () => {
    const warnings: string[] = [];
    const metric = toParsedMetric(
      'm',
      {
        steps: [0, 1.5, Long.fromNumber(2), null],
        values: [null, true, false, Long.fromNumber(7)],
        timestamps: [new Date(1000), new Date(2000), null, new Date(4000)],
      },
      warnings,
    );
    expect([...metric.steps]).toEqual([0, 1.5, 2, NaN]);
    expect([...metric.values]).toEqual([NaN, 1, 0, 7]);
    expect([...metric.timestamps]).toEqual([1000, 2000, NaN, 4000]);
    expect(warnings).toEqual([]);
  });

  it('warns when the parallel arrays differ in length', () => {
    const warnings: string[] = [];
    toParsedMetric('m', { steps: [0, 1], values: [1], timestamps: [] }, warnings);
    expect(warnings[0]).toContain('has 2 steps, 1 values and 0 timestamps');
  });
});
