import { describe, expect, it } from 'vitest';
import { unwrapEnvelope } from '../../renderer/src/api/unwrap-envelope';
import { AltarError } from '../../shared/errors';

function thrown(reply: unknown): AltarError {
  try {
    unwrapEnvelope(reply);
  } catch (error) {
    if (error instanceof AltarError) return error;
    throw error;
  }
  throw new Error('unwrapEnvelope returned instead of throwing');
}

describe('unwrapEnvelope and a run folder given as a source', () => {
  it('keeps the parent folder the core offers, so the dialog can add it', () => {
    const payload = new AltarError('INVALID_ARGUMENT', '“7” is one run; add its parent folder?', {
      parentFolder: '/data/runs',
    }).toPayload();
    const error = thrown({ ok: false, error: payload });
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.parentFolder).toBe('/data/runs');
  });

  it('offers no parent for other errors or a malformed one', () => {
    expect(thrown({ ok: false, error: { code: 'NOT_FOUND', message: 'x' } }).parentFolder).toBe(
      undefined,
    );
    expect(
      thrown({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'x', parentFolder: 3 } })
        .parentFolder,
    ).toBeUndefined();
    expect(new AltarError('NOT_FOUND', 'x').toPayload()).toEqual({
      code: 'NOT_FOUND',
      message: 'x',
    });
  });
});
