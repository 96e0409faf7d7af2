// Which source file getSourceFile reads, and what the user is told when there is none: a run
// that lists no such file, and a listed file whose content Sacred never stored (a folder run
// whose _sources copy is missing from run.json, a MongoDB run without its GridFS id).
import { describe, expect, it } from 'vitest';
import { isAltarError } from '../../shared/errors';
import { listedSourceFile } from '../../main/core/run-shapes';

const run = {
  source_files: JSON.stringify([
    { name: 'train.py', absPath: '/lab/_sources/train_ab.py' },
    { name: 'gone.py', absPath: null },
    { name: 'model.py', absPath: null, gridfsId: '65a000000000000000000001' },
  ]),
};
const where = (name: string) => ({ source: 'lab', runId: '7', name });

function refusal(call: () => unknown): { code: string; message: string } {
  try {
    call();
  } catch (error) {
    if (isAltarError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('no refusal');
}

describe('listedSourceFile', () => {
  it('gives the listed file with where its content is', () => {
    expect(listedSourceFile(run, where('train.py'), 'absPath').absPath).toBe(
      '/lab/_sources/train_ab.py',
    );
    expect(listedSourceFile(run, where('model.py'), 'gridfsId').gridfsId).toBe(
      '65a000000000000000000001',
    );
  });

  it('says the run lists no such file', () => {
    expect(refusal(() => listedSourceFile(run, where('other.py'), 'absPath'))).toEqual({
      code: 'NOT_FOUND',
      message: 'Run "7" of "lab" has no source file "other.py".',
    });
  });

  it('says Sacred did not store a listed file, for a folder and for GridFS', () => {
    const notStored = (name: string) => ({
      code: 'NOT_FOUND',
      message: `The source file "${name}" of run "7" was not stored by Sacred.`,
    });
    expect(refusal(() => listedSourceFile(run, where('gone.py'), 'absPath'))).toEqual(
      notStored('gone.py'),
    );
    expect(refusal(() => listedSourceFile(run, where('train.py'), 'gridfsId'))).toEqual(
      notStored('train.py'),
    );
  });
});
