// Run documents that are odd but happen (hand-written, cut short, from other tools): what the
// run list and detail view show for each, and the note a user gets instead of a silent gap.
import { Binary, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { readMongoRun } from '../../main/core/mongo/read-mongo-run';
import type { GridFsFile } from '../../main/core/mongo/gridfs';

const oid = new ObjectId('6b12d40bf8bbe23ccf18f2d7');

describe('documents that are not runs', () => {
  it('names what the document is instead', () => {
    expect(readMongoRun('text', { key: 'a' }).unreadable).toBe(
      'the run document is a string, not an object',
    );
    expect(readMongoRun(5, { key: 'b' }).unreadable).toBe(
      'the run document is a number, not an object',
    );
    expect(readMongoRun(oid, { key: 'c' }).unreadable).toBe(
      'the run document is ObjectId, not an object',
    );
    expect(readMongoRun(new Date(0), { key: 'd' }).unreadable).toBe(
      'the run document is an object, not an object',
    );
    expect(readMongoRun(undefined).id).toBe('');
  });

  it('reads a document with any one of the Sacred fields', () => {
    for (const field of ['status', 'experiment', 'config', 'command', 'start_time', 'host']) {
      const run = readMongoRun({ _id: 9, [field]: null });
      expect(run.unreadable, field).toBeNull();
      expect(run.id).toBe('9');
    }
    expect(readMongoRun({ _id: 9, stop_time: new Date(0) }).unreadable).toBe(
      'the document is not a Sacred run (no status, experiment or config)',
    );
  });

  it('takes the key the sync gives over the _id', () => {
    expect(readMongoRun({ _id: 3, status: 'COMPLETED' }, { key: '"3"' }).id).toBe('"3"');
  });

  it('reports a document that breaks while being read, not a crash', () => {
    const doc: Record<string, unknown> = { _id: 1, status: 'RUNNING' };
    Object.defineProperty(doc, 'config', {
      enumerable: true,
      get() {
        throw new Error('cursor closed');
      },
    });
    expect(readMongoRun(doc).unreadable).toBe('the run document cannot be read: cursor closed');
    const odd: Record<string, unknown> = { _id: 1, status: 'RUNNING' };
    Object.defineProperty(odd, 'config', {
      enumerable: true,
      get() {
        throw 'gone';
      },
    });
    expect(readMongoRun(odd).unreadable).toBe('the run document cannot be read: gone');
  });

  it('still shows a run whose _id cannot be written back as Extended JSON', () => {
    const run = readMongoRun({ _id: Symbol('odd'), status: 'COMPLETED' }, { key: 'k' });
    expect(run.origin).toBeUndefined();
    expect(run.status).toBe('COMPLETED');
    expect(run.unreadable).toBeNull();
  });
});

describe('fields of the wrong kind', () => {
  it('shows UNKNOWN and a note for a run without a status', () => {
    const run = readMongoRun({ _id: 1, experiment: { name: 'e' } });
    expect(run.status).toBe('UNKNOWN');
    expect(run.experiment).toBe('e');
    expect(run.warnings).toEqual(['the run document has no status']);
    expect(readMongoRun({ _id: 1, status: 7 }).status).toBe('UNKNOWN');
  });

  it('notes an info, config or output that is not what Sacred writes', () => {
    const run = readMongoRun({
      _id: 1,
      status: 'COMPLETED',
      config: [1, 2],
      info: 'x',
      captured_out: { text: 'hi' },
    });
    expect(run.warnings).toEqual([
      'config is a list, not an object',
      'info is a string, not an object',
      'captured_out is an object, not text',
    ]);
    expect(run.config).toEqual({});
    expect(run.info).toEqual({});
    expect(run.capturedOutput).toEqual({ text: '', truncated: false, totalBytes: 0 });
    const nulls = readMongoRun({
      _id: 1,
      status: 'X',
      config: null,
      info: null,
      captured_out: null,
    });
    expect(nulls.warnings).toEqual([]);
  });

  it('shows strings only as experiment, command and host names', () => {
    const run = readMongoRun({
      _id: 1,
      status: 'COMPLETED',
      experiment: { name: 5 },
      command: ['train'],
      host: { hostname: null },
    });
    expect(run.experiment).toBeNull();
    expect(run.command).toBeNull();
    expect(run.hostname).toBeNull();
  });

  it('shows the top-level result, else the Altar sender info.result', () => {
    expect(readMongoRun({ _id: 1, status: 'X', result: 2, info: { result: 3 } }).result).toBe(2);
    expect(readMongoRun({ _id: 1, status: 'X', info: { result: 3 } }).result).toBe(3);
    expect(readMongoRun({ _id: 1, status: 'X', result: 0, info: { result: 3 } }).result).toBe(0);
    expect(readMongoRun({ _id: 1, status: 'X', info: { other: 3 } }).result).toBeNull();
    expect(readMongoRun({ _id: 1, status: 'X', info: 'x' }).result).toBeNull();
  });

  it('reads a traceback given as one string, or with lines that are not text', () => {
    expect(readMongoRun({ _id: 1, status: 'FAILED', fail_trace: 'boom\n' }).failTrace).toEqual([
      'boom\n',
    ]);
    expect(
      readMongoRun({ _id: 1, status: 'FAILED', fail_trace: ['a\n', 5, { x: 1 }] }).failTrace,
    ).toEqual(['a\n', '5', '{"x":1}']);
    expect(readMongoRun({ _id: 1, status: 'FAILED', fail_trace: 5 }).failTrace).toBeNull();
  });

  it('shows an empty Omniboard note as no comment', () => {
    const run = readMongoRun({ _id: 1, status: 'X', omniboard: { notes: '' } });
    expect(run.comment).toBeNull();
  });

  it('keeps the metrics the sync fetched', () => {
    const metric = {
      name: 'loss',
      steps: new Float64Array([0]),
      values: new Float64Array([1]),
      timestamps: new Float64Array([NaN]),
    };
    expect(readMongoRun({ _id: 1, status: 'X' }, { metrics: [metric] }).metrics).toEqual([metric]);
  });
});

describe('captured output', () => {
  it('is not cut when it fits exactly, and is cut one byte over', () => {
    const fits = readMongoRun(
      { _id: 1, status: 'RUNNING', captured_out: 'abcdef' },
      { coutTailBytes: 6 },
    );
    expect(fits.capturedOutput).toEqual({ text: 'abcdef', truncated: false, totalBytes: 6 });
    const over = readMongoRun(
      { _id: 1, status: 'RUNNING', captured_out: 'abcdefg' },
      { coutTailBytes: 6 },
    );
    expect(over.capturedOutput).toEqual({ text: 'bcdefg', truncated: true, totalBytes: 7 });
  });

  it('keeps 4 MiB by default', () => {
    const big = 'x'.repeat(4 * 1024 * 1024 + 10);
    const run = readMongoRun({ _id: 1, status: 'RUNNING', captured_out: big });
    expect(run.capturedOutput.truncated).toBe(true);
    expect(run.capturedOutput.text.length).toBe(4 * 1024 * 1024);
    expect(run.capturedOutput.totalBytes).toBe(big.length);
  });
});

describe('sources, resources and artifacts', () => {
  it('finds Sacred 0.6 sources by path and md5 in the legacy bucket', () => {
    const file = (id: string, md5: string | null): GridFsFile => ({
      id,
      bucket: 'default',
      filename: '/home/a/train.py',
      length: 10,
      contentType: null,
      md5,
    });
    const legacySources = new Map([
      [
        '/home/a/train.py',
        [file('a'.repeat(24), 'old'), file('b'.repeat(24), 'abc'), file('c'.repeat(24), null)],
      ],
    ]);
    const doc = (md5: unknown) => ({
      _id: oid,
      status: 'COMPLETED',
      experiment: { name: 'e', sources: [['/home/a/train.py', md5], ['/home/a/gone.py', 'x'], 7] },
    });
    expect(readMongoRun(doc('abc'), { legacySources }).sourceFiles).toEqual([
      {
        name: '/home/a/train.py',
        absPath: null,
        gridfsId: 'b'.repeat(24),
        gridfsBucket: 'default',
      },
      { name: '/home/a/gone.py', absPath: null },
    ]);
    // Without a matching md5, a file recorded without one is the best guess.
    expect(readMongoRun(doc('zzz'), { legacySources }).sourceFiles[0]?.gridfsId).toBe(
      'c'.repeat(24),
    );
    expect(readMongoRun(doc(null), { legacySources }).sourceFiles[0]?.gridfsId).toBe(
      'c'.repeat(24),
    );
    expect(readMongoRun(doc('abc')).sourceFiles[0]).toEqual({
      name: '/home/a/train.py',
      absPath: null,
    });
  });

  it('names a Sacred 0.6 artifact by its GridFS file name, in the legacy bucket', () => {
    const id = oid.toHexString();
    const legacyRun = { _id: oid, status: 'COMPLETED', artifacts: [oid, 'not an id'] };
    const files = new Map<string, GridFsFile>([
      [
        id,
        {
          id,
          bucket: 'runs_old',
          filename: 'C:\\runs\\7\\model.pt',
          length: 42,
          contentType: null,
          md5: null,
        },
      ],
    ]);
    expect(readMongoRun(legacyRun, { files }).artifacts).toEqual([
      {
        name: 'model.pt',
        absPath: null,
        size: 42,
        gridfsId: id,
        gridfsBucket: 'runs_old',
        contentType: null,
      },
    ]);
    // Without the lookup: named by its id, in the legacy bucket the source names.
    expect(readMongoRun(legacyRun, { legacyBucket: 'runs_old' }).artifacts[0]).toEqual({
      name: id,
      absPath: null,
      size: null,
      gridfsId: id,
      gridfsBucket: 'runs_old',
      contentType: null,
    });
    expect(readMongoRun(legacyRun).artifacts[0]?.gridfsBucket).toBe('default');
    // An entry that is neither an id nor {name, file_id} names nothing to show.
    expect(readMongoRun(legacyRun).warnings).toEqual([]);
    expect(readMongoRun(legacyRun).artifacts).toHaveLength(1);
  });

  it('puts 0.7 sources and artifacts in fs, even in a legacy-bucket source', () => {
    const run = readMongoRun(
      {
        _id: 1,
        status: 'COMPLETED',
        format: 'MongoObserver-0.7.0',
        experiment: { sources: [['a.py', oid.toHexString().toUpperCase()]] },
        artifacts: [{ name: 'p.png', file_id: oid }, { file_id: 5 }],
      },
      { legacyBucket: 'old' },
    );
    expect(run.sourceFiles).toEqual([
      { name: 'a.py', absPath: null, gridfsId: oid.toHexString(), gridfsBucket: 'fs' },
    ]);
    expect(run.artifacts.map((a) => [a.name, a.gridfsBucket])).toEqual([['p.png', 'fs']]);
  });

  it('lists resources given as [path, md5] or as a path', () => {
    const run = readMongoRun({
      _id: 1,
      status: 'COMPLETED',
      resources: [['/data/a.txt', 'md5'], '/data/b.txt', [5], 7],
    });
    expect(run.resources).toEqual([
      { path: '/data/a.txt', stored: null, absPath: null },
      { path: '/data/b.txt', stored: null, absPath: null },
    ]);
    expect(readMongoRun({ _id: 1, status: 'X', resources: 'a' }).resources).toEqual([]);
  });

  it('keeps a binary config value as a short preview', () => {
    const run = readMongoRun({
      _id: 1,
      status: 'X',
      config: { key: new Binary(Buffer.from('ab')) },
    });
    expect(run.config).toEqual({ key: { $binary: 'YWI=' } });
  });
});
